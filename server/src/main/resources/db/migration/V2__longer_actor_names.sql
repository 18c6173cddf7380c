-- Who did something is stored as "user:", "admin:" or "client:" followed by a name of up to 100
-- characters (users.username, a client_id): 100 characters did not hold the prefix as well.
-- Standard SQL that both H2 and PostgreSQL run.
ALTER TABLE grants ALTER COLUMN revoked_by SET DATA TYPE VARCHAR(120);
ALTER TABLE audit_events ALTER COLUMN actor SET DATA TYPE VARCHAR(120);
