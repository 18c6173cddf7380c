-- Browser sessions are stored only once a form is posted (before that the page's CSRF token rides
-- in a signed cookie), and capped per address: the address group (an IPv6 /64) that opened the row
-- is kept. A session unused for the idle timeout ends: last_seen_at moves at most once a minute. authenticated_at is
-- when the password was last typed in the session, for the pages that ask for it again. The key
-- that signs the cookies of the sessions not yet stored is shared by every instance through
-- server_secrets (one row per purpose; the first instance to store it wins). Standard SQL that
-- both H2 and PostgreSQL run.
ALTER TABLE browser_sessions ADD COLUMN created_ip VARCHAR(64);
ALTER TABLE browser_sessions ADD COLUMN last_seen_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE browser_sessions ADD COLUMN authenticated_at TIMESTAMP WITH TIME ZONE;
UPDATE browser_sessions SET last_seen_at = created_at;
ALTER TABLE browser_sessions ALTER COLUMN last_seen_at SET NOT NULL;
CREATE INDEX browser_sessions_created_ip ON browser_sessions (created_ip, user_id);

CREATE TABLE server_secrets (
  purpose     VARCHAR(40)  PRIMARY KEY,
  secret      VARCHAR(64)  NOT NULL,             -- 256 random bits, base64url
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
