-- 0105_limit_counters: counters in fixed windows that every node shares
-- (issue 18): sign-in failures and locks, readers' posting rates, share
-- clicks. window_end is in Unix milliseconds; ended windows are removed
-- by a background job.

CREATE TABLE limit_counters (
    key        TEXT PRIMARY KEY,
    n          BIGINT NOT NULL,
    window_end BIGINT NOT NULL
);
CREATE INDEX limit_counters_window_end ON limit_counters (window_end);
