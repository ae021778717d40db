-- The values a case has verified against the BRP (Maastricht art. 14 and appendix A phase 1: the BRP
-- only to verify the signal's personal data). Verification compares what the signal says; it is no
-- search, so asking the same element of the same person over and over with other values (every
-- birth date of a decade) is refused after VERIFY_MAX_CHANGES changes (src/disclosure/verify-values.ts).
--
-- One row per distinct value per case, subject and element (naam, geboortedatum, adres). Never the
-- value itself: `value_hash` is a keyed HMAC (the audit pseudonym key) over the case, the subject,
-- the element and the normalised value, so equal values in two cases do not even hash alike.
-- `subject_pseudonym` is the subject as the audit log names it. Rows are personal data of the case:
-- the retention purge deletes them with it (src/retention/case-destroyers.ts).
CREATE TABLE verify_values (
  case_id           text NOT NULL REFERENCES cases (id),
  subject_pseudonym text NOT NULL,
  element           text NOT NULL CHECK (element IN ('naam', 'geboortedatum', 'adres')),
  value_hash        text NOT NULL,
  verified_at       timestamptz NOT NULL,
  PRIMARY KEY (case_id, subject_pseudonym, element, value_hash)
);

-- Nothing resets the count: no UPDATE, no TRUNCATE, and DELETE only inside a retention purge
-- transaction (`poortwachter.retention_run`, see 007_retention.sql). It guards against other code,
-- not against a database administrator.
CREATE FUNCTION verify_values_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('poortwachter.retention_run', true), '') <> '' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'verify_values keeps every value verified: % refused (only the retention job deletes)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER verify_values_guard BEFORE UPDATE OR DELETE ON verify_values
  FOR EACH ROW EXECUTE FUNCTION verify_values_guard();
CREATE TRIGGER verify_values_no_truncate BEFORE TRUNCATE ON verify_values
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
