-- Device authorization requests accepted per key ("device-ip:203.0.113.7",
-- "device-client:devicelogin-cli") in each fixed one-minute window, so that several instances on
-- one PostgreSQL enforce one limit together (H2 opens in one process, which counts in memory; see
-- README, "Several instances"). Counted by a conditional UPDATE; one row per key and window; the
-- sweeper deletes ended windows. No index on window_slot alone: the sweep reads a table of about
-- two windows' rows and deletes most of them, and an index would be one more to maintain on every
-- window's first request. Standard SQL that both H2 and PostgreSQL run.
CREATE TABLE rate_limit_windows (
  limit_key    VARCHAR(200) NOT NULL,
  window_slot  BIGINT       NOT NULL,   -- epoch milliseconds divided by the window's length
  hits         INT          NOT NULL,   -- requests accepted in that window
  PRIMARY KEY (limit_key, window_slot)
);
