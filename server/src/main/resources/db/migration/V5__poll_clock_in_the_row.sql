-- The poll clock of a pending code (RFC 8628 section 3.5) in its row, so that several instances on
-- one PostgreSQL hold a client to one interval however its polls are spread over them (H2 opens in
-- one process, which keeps the clock in memory and leaves these NULL; see README, "Several
-- instances"). Judged and moved by one conditional UPDATE per poll. Epoch milliseconds rather than
-- a timestamp, so that the rule is integer arithmetic that both databases write alike. All NULL
-- until the first poll. Standard SQL that both H2 and PostgreSQL run.

-- When the last poll answered authorization_pending came (slow_down does not move it):
ALTER TABLE device_authorizations ADD COLUMN last_poll_ms BIGINT;
-- The interval in force: interval_seconds (as issued, and kept so) plus 5 s per slow_down:
ALTER TABLE device_authorizations ADD COLUMN poll_interval_seconds INT;
-- Whether the latest poll came too early and was answered slow_down:
ALTER TABLE device_authorizations ADD COLUMN last_poll_too_early BOOLEAN;
