-- Every per-address limit counts an address group: an IPv4 address as itself, an IPv6 address as its
-- /64 ("2001:db8:1:2::/64"; server.protocol.AddressGroup), so the audit trail that the attempt
-- limits count from keeps each row's group beside its address. Rows written before this migration
-- get their group where it is the address itself (IPv4); an older IPv6 row only stops counting
-- towards its /64, and attempt limits look back 15 minutes. Standard SQL that both H2 and
-- PostgreSQL run.
ALTER TABLE audit_events ADD COLUMN address_group VARCHAR(64);
UPDATE audit_events SET address_group = ip WHERE ip IS NOT NULL AND ip NOT LIKE '%:%';
CREATE INDEX audit_events_address_group ON audit_events (event, address_group, at);
-- A typed code that names an expired, used or denied authorization is not a guess and is not
-- counted as a wrong code; finding it by its user code must not read the whole table.
CREATE INDEX device_authorizations_user_code ON device_authorizations (user_code);
