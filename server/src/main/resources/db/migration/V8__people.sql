-- People from an identity provider. An account may be linked to one (upstream, subject) pair, the
-- only key an upstream sign-in is matched by (never the e-mail alone); such an account may have no
-- password. groups holds the upstream's groups, one per line, refreshed at each sign-in.
-- A browser session remembers how it was signed in (idp, amr), so that the grant it approves, and
-- every token of that grant, can name the upstream, the method and the time. The CLI names its
-- device (host and OS) in the device authorization request; the grant keeps it.
-- Standard SQL that both H2 and PostgreSQL run.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE users ADD COLUMN upstream VARCHAR(64);
ALTER TABLE users ADD COLUMN subject VARCHAR(255);
ALTER TABLE users ADD COLUMN groups_text VARCHAR(4000);
ALTER TABLE users ADD COLUMN email_verified BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMP WITH TIME ZONE;
CREATE UNIQUE INDEX users_upstream_subject ON users (upstream, subject);

ALTER TABLE browser_sessions ADD COLUMN idp VARCHAR(64);
ALTER TABLE browser_sessions ADD COLUMN amr VARCHAR(40);

ALTER TABLE device_authorizations ADD COLUMN device_name VARCHAR(200);

ALTER TABLE grants ADD COLUMN device_name VARCHAR(200);
ALTER TABLE grants ADD COLUMN idp VARCHAR(64);
ALTER TABLE grants ADD COLUMN idp_subject VARCHAR(255);
ALTER TABLE grants ADD COLUMN auth_time TIMESTAMP WITH TIME ZONE;
ALTER TABLE grants ADD COLUMN amr VARCHAR(40);

ALTER TABLE audit_events ADD COLUMN idp VARCHAR(64);
ALTER TABLE audit_events ADD COLUMN idp_subject VARCHAR(255);
