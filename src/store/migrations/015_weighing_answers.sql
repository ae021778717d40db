-- The weighing checklist (issue 11; Maastricht art. 15, 16.1, bijlage C; Delft art. 12-15): in the
-- protocol's weighing phase the RO/AVO answers each step of the checklist in the protocol file. One
-- row per answer given: a later answer to the same step supersedes the earlier one, which stays as
-- history. `answer` is an answer id of the protocol file (no personal data); `note` is a short free
-- text and `actor` a staff id, both destroyed by the retention purge (src/retention/case-destroyers.ts),
-- while step and answer stay for the statistics (Maastricht art. 10.4).
CREATE TABLE weighing_answers (
  seq         bigserial PRIMARY KEY,
  case_id     text NOT NULL REFERENCES cases (id),
  protocol_id text NOT NULL,
  phase       text NOT NULL,
  step        text NOT NULL,
  answer      text NOT NULL,
  note        text,
  actor       text NOT NULL,
  at          timestamptz NOT NULL
);
CREATE INDEX weighing_answers_case_idx ON weighing_answers (case_id, step, seq);

-- Append-only, like the case history: no DELETE or TRUNCATE, and one UPDATE only, inside a retention
-- purge (`poortwachter.retention_run`, 007_retention.sql), that blanks the note and the actor and
-- leaves every other column exactly as it was.
CREATE FUNCTION weighing_answers_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND coalesce(current_setting('poortwachter.retention_run', true), '') <> ''
     AND NEW.note IS NULL AND NEW.actor = '[destroyed]'
     AND (to_jsonb(NEW) - 'note' - 'actor') = (to_jsonb(OLD) - 'note' - 'actor') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'weighing_answers is append-only: % refused (only the retention job blanks note and actor)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER weighing_answers_guard BEFORE UPDATE OR DELETE ON weighing_answers
  FOR EACH ROW EXECUTE FUNCTION weighing_answers_guard();
CREATE TRIGGER weighing_answers_no_truncate BEFORE TRUNCATE ON weighing_answers
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Recording answers is an event in the case history (kind `weighed`, with the motivation), written
-- in the same transaction as the answers. It moves no phase: `from_phase` is the phase it was
-- weighed in, `to_phase` stays NULL.
ALTER TABLE case_events DROP CONSTRAINT case_events_kind_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_kind_check
  CHECK (kind IN ('opened', 'transitioned', 'closed', 'assigned', 'weighed'));
