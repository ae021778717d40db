-- Patterns in the processing log that deserve the privacy officer's look (issue 13; Delft §2.5
-- Privacy Officer, art. 6b; Maastricht art. 3): many denials by one actor, one subject verified with
-- ever other values, hit/no-hit probes over many subjects, case data opened outside office hours
-- (src/audit/flag-patterns.ts). They join the queue of flagged refusals (016_flagged_events.sql).
--
-- One row per detected event. The audit log stays the evidence: the row links to the records it
-- rests on by seq and holds no subject, no BSN, no value, only the actor (a staff id), the window,
-- the counts and the case ids. A review is an audit record (kind `review`, `detail.reviews` = the
-- row's id), as for flagged refusals. `scope` keeps apart events of one actor that start together
-- (verifyVariants: the seq of the window's first verify record, so one event per subject).
-- Deduplication: one event per (pattern, actor, window start, scope); a later scan adds the new
-- records in its window to it instead of opening another.
CREATE TABLE flagged_patterns (
  id            text PRIMARY KEY,
  pattern       text NOT NULL CHECK (pattern IN ('denials', 'verifyVariants', 'probeSpread', 'offHours')),
  actor         text NOT NULL,
  scope         text NOT NULL DEFAULT '',
  window_start  timestamptz NOT NULL,
  window_end    timestamptz NOT NULL CHECK (window_end > window_start),
  first_at      timestamptz NOT NULL,
  last_at       timestamptz NOT NULL,
  -- What the pattern counts (denials, distinct value sets, distinct subjects, records) and its threshold.
  measure       integer NOT NULL,
  threshold     integer NOT NULL,
  -- Audit records the event rests on (seq, ascending; at most 1000 kept, `records_total` counts all).
  record_seqs   jsonb NOT NULL,
  records_total integer NOT NULL,
  case_ids      jsonb NOT NULL,
  operations    jsonb NOT NULL,
  detected_at   timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  UNIQUE (pattern, actor, window_start, scope)
);
CREATE INDEX flagged_patterns_last_idx ON flagged_patterns (last_at);
CREATE INDEX flagged_patterns_open_idx ON flagged_patterns (pattern, actor, window_end);

-- How far the detector has read the log: the highest seq it has scanned (one row). It starts at the
-- log's head when this migration runs: patterns are looked for from the upgrade on, so the queue
-- does not open with years of history (every evening's access of the past as a pattern.offHours).
CREATE TABLE flagged_pattern_scan (
  id       smallint PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL
);
INSERT INTO flagged_pattern_scan (id, last_seq) SELECT 1, coalesce(max(seq), 0) FROM audit_log;
