-- Whom a case is about (issue 11; Maastricht art. 3, 14, 18; Delft art. 3): every disclosure mode
-- answers only for these subjects (and, within one operation, for those an approved hop reaches
-- from them). A subject comes from the signal (`signal`), from intake's BRP search for a person the
-- signal named without a BSN (`resolved`), or is added later with a motivation (`added`), from the
-- protocol's `subjects.checkRequiredIn` phases on only with a privacy check in effect naming it
-- (`check_id`). `subject_key` is the key privacy checks use (`persoon:<bsn>`, `onderneming:<kvk>`,
-- `object:<bag id>`, `adres:<postcode>-<nr>…`): personal data of the case, deleted by the retention
-- purge with it (src/retention/case-destroyers.ts).
CREATE TABLE case_subjects (
  case_id     text NOT NULL REFERENCES cases (id),
  subject_key text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('persoon', 'onderneming', 'object')),
  origin      text NOT NULL CHECK (origin IN ('signal', 'resolved', 'added')),
  check_id    text REFERENCES privacy_checks (id),
  motivation  text,
  added_by    text NOT NULL,
  added_at    timestamptz NOT NULL,
  PRIMARY KEY (case_id, subject_key),
  CONSTRAINT case_subjects_added_motivated CHECK (origin <> 'added' OR motivation IS NOT NULL)
);

-- The signal's date and channel (Maastricht art. 14; Delft art. 12: how and when the signal came in).
CREATE TABLE case_signals (
  case_id     text PRIMARY KEY REFERENCES cases (id),
  signal_date date,
  channel     text
);

-- The circle only widens: no UPDATE, no TRUNCATE, and DELETE only inside a retention purge
-- transaction (`poortwachter.retention_run`, see 007_retention.sql).
CREATE FUNCTION case_subjects_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('poortwachter.retention_run', true), '') <> '' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% keeps every subject of a case: % refused (only the retention job deletes)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER case_subjects_guard BEFORE UPDATE OR DELETE ON case_subjects
  FOR EACH ROW EXECUTE FUNCTION case_subjects_guard();
CREATE TRIGGER case_subjects_no_truncate BEFORE TRUNCATE ON case_subjects
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_signals_guard BEFORE UPDATE OR DELETE ON case_signals
  FOR EACH ROW EXECUTE FUNCTION case_subjects_guard();
CREATE TRIGGER case_signals_no_truncate BEFORE TRUNCATE ON case_signals
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
