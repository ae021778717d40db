-- Retention and destruction (Maastricht art. 10, 21; Delft art. 7). When a closed case's retention
-- period ends, the retention job (src/retention) destroys its personal data in one transaction and
-- documents it: when, how, by which rule and on what ground (Maastricht art. 10.3). What stays is
-- the non-identifying skeleton of the case and statistics (Maastricht art. 10.4, 21.3).

-- Set once, by the purge, in the same transaction that destroyed the case's personal data.
ALTER TABLE cases ADD COLUMN destroyed_at timestamptz;
CREATE INDEX cases_awaiting_destruction_idx ON cases (closed_at)
  WHERE status = 'closed' AND destroyed_at IS NULL;

-- The purge marks its transaction with this setting (set_config(..., true): this transaction only).
-- The history triggers below let a row be blanked only inside such a transaction. It guards against
-- an accidental UPDATE by other code, not against a database administrator.
--   SELECT set_config('poortwachter.retention_run', '<run id>', true);

-- One row per destruction: of a case's personal data (case_id set), or of audit records past the
-- audit retention period (case_id NULL). Append-only; at most one per case.
CREATE TABLE destruction_records (
  id           text PRIMARY KEY,
  run_id       text NOT NULL,
  case_id      text REFERENCES cases (id),
  destroyed_at timestamptz NOT NULL,
  -- When it became due: closed_at + retention for a case; for audit records the cut-off moment
  -- (records written before it were due).
  due_at       timestamptz NOT NULL,
  -- e.g. `outcome afgerond: P5Y after closing (Maastricht art. 10.2c, art. 21.2)`
  rule         text NOT NULL,
  legal_basis  text NOT NULL,
  -- How (Maastricht art. 10.3): what the job did to the rows.
  method       text NOT NULL,
  -- What was destroyed, e.g. ["signal text and case motivations", "check subjects and motivations"].
  categories   jsonb NOT NULL,
  -- Rows touched per table, e.g. {"case_events": 3, "audit_log": 12}.
  counts       jsonb NOT NULL,
  protocol_id  text NOT NULL,
  policy_hash  text NOT NULL
);
CREATE UNIQUE INDEX destruction_records_one_per_case ON destruction_records (case_id)
  WHERE case_id IS NOT NULL;
CREATE INDEX destruction_records_run_idx ON destruction_records (run_id);
CREATE INDEX destruction_records_at_idx ON destruction_records (destroyed_at);

CREATE TRIGGER destruction_records_append_only BEFORE UPDATE OR DELETE ON destruction_records
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER destruction_records_no_truncate BEFORE TRUNCATE ON destruction_records
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- case_events and privacy_check_steps stay append-only, like the audit log's tombstone rule: the
-- only UPDATE allowed destroys, never rewrites. It must happen inside a purge transaction, set
-- `motivation` to the literal '[destroyed]', leave `actor` as it was or set it to '[destroyed]', and
-- leave every other column (including any added later) exactly as it was. DELETE and TRUNCATE stay
-- refused.
CREATE FUNCTION history_destroy_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND coalesce(current_setting('poortwachter.retention_run', true), '') <> ''
     AND NEW.motivation = '[destroyed]'
     AND (NEW.actor = OLD.actor OR NEW.actor = '[destroyed]')
     AND (to_jsonb(NEW) - 'motivation' - 'actor') = (to_jsonb(OLD) - 'motivation' - 'actor')
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused (retention may only blank motivation and actor)',
    TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER case_events_append_only ON case_events;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION history_destroy_only();
DROP TRIGGER privacy_check_steps_append_only ON privacy_check_steps;
CREATE TRIGGER privacy_check_steps_append_only BEFORE UPDATE OR DELETE ON privacy_check_steps
  FOR EACH ROW EXECUTE FUNCTION history_destroy_only();

-- Only the purge marks a case destroyed, and a destroyed case is final: no later change or delete
-- can bring data back into its skeleton.
CREATE FUNCTION cases_destruction_final() RETURNS trigger AS $$
BEGIN
  IF OLD.destroyed_at IS NOT NULL THEN
    RAISE EXCEPTION 'case % was destroyed: % refused', OLD.id, TG_OP;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.destroyed_at IS NOT NULL
     AND coalesce(current_setting('poortwachter.retention_run', true), '') = '' THEN
    RAISE EXCEPTION 'case %: only the retention job marks a case destroyed', OLD.id;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_destruction_final BEFORE UPDATE OR DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_destruction_final();
