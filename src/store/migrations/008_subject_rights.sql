-- The data subject's rights (GDPR art. 15-23; Maastricht art. 11-12; Delft art. 10-11), per case and
-- subject: that the subject was informed (when, how), that informing is deferred under GDPR art. 23
-- (ground, who decided, whose advice, review date), and requests for rectification, erasure,
-- restriction or objection with their handling. A restriction that is neither refused nor lifted
-- stops every disclosure about that subject in that case (src/cases/case-access.ts).
--
-- Subjects are stored as the subject keys privacy checks use (`persoon:<bsn>`), because Juridische
-- Zaken must know whom to inform. History is kept: a row is never deleted, and changes only by the
-- steps its table allows (a decision, a lifting, the end of a deferral: each set once). Retention
-- destroys a row by blanking its subject key and free text, inside a purge transaction
-- (`poortwachter.retention_run`, see 007_retention.sql), and nothing changes it afterwards.

CREATE TABLE subject_informing (
  id          text PRIMARY KEY,
  case_id     text NOT NULL REFERENCES cases (id),
  subject_key text,
  informed_at timestamptz NOT NULL,
  method      text NOT NULL CHECK (method IN ('letter', 'email', 'in_person', 'phone', 'other')),
  note        text,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL,
  destroyed   boolean NOT NULL DEFAULT false,
  CONSTRAINT subject_informing_complete CHECK (destroyed OR subject_key IS NOT NULL)
);
CREATE INDEX subject_informing_case_idx ON subject_informing (case_id);
CREATE INDEX subject_informing_subject_idx ON subject_informing (subject_key);

-- Informing deferred (Maastricht art. 12.5-12.7; Delft art. 10d-e): on one of the grounds of GDPR
-- art. 23(1)(a)-(j), decided by the responsible manager after advice of the FG or a privacy adviser
-- (Maastricht art. 12.6), with a date on which the ground is reviewed. In force until it ends:
-- `informed` (the subject was informed after all) or `superseded` (a review recorded a new deferral).
CREATE TABLE subject_informing_deferrals (
  id          text PRIMARY KEY,
  case_id     text NOT NULL REFERENCES cases (id),
  subject_key text,
  ground      text NOT NULL CHECK (ground IN ('national_security', 'defence', 'public_security',
                'criminal_offences', 'public_interest', 'judicial_independence', 'professional_ethics',
                'supervision', 'protection_of_persons', 'civil_claims')),
  motivation  text,
  decided_by  text NOT NULL,
  advice_by   text NOT NULL,
  advice      text,
  review_at   timestamptz NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL,
  ended_at    timestamptz,
  ended_by    text,
  end_reason  text CHECK (end_reason IN ('informed', 'superseded')),
  destroyed   boolean NOT NULL DEFAULT false,
  CONSTRAINT subject_informing_deferrals_complete CHECK (
    destroyed OR (subject_key IS NOT NULL AND motivation IS NOT NULL AND advice IS NOT NULL)),
  CONSTRAINT subject_informing_deferrals_ended CHECK (
    (ended_at IS NULL) = (ended_by IS NULL) AND (ended_at IS NULL) = (end_reason IS NULL))
);
CREATE INDEX subject_informing_deferrals_case_idx ON subject_informing_deferrals (case_id);
CREATE INDEX subject_informing_deferrals_subject_idx ON subject_informing_deferrals (subject_key);
-- At most one deferral in force per case and subject.
CREATE UNIQUE INDEX subject_informing_deferrals_one_active ON subject_informing_deferrals (case_id, subject_key)
  WHERE ended_at IS NULL AND NOT destroyed;

-- Requests of GDPR art. 16 (rectification), 17 (erasure), 18 (restriction) and 21 (objection),
-- received by Juridische Zaken (Delft art. 11b), and their handling. `lifted_*` only for a restriction.
CREATE TABLE subject_requests (
  id                  text PRIMARY KEY,
  case_id             text NOT NULL REFERENCES cases (id),
  subject_key         text,
  kind                text NOT NULL CHECK (kind IN ('rectification', 'erasure', 'restriction', 'objection')),
  received_at         timestamptz NOT NULL,
  motivation          text,
  recorded_by         text NOT NULL,
  recorded_at         timestamptz NOT NULL,
  decision            text CHECK (decision IN ('granted', 'partially_granted', 'refused')),
  decision_motivation text,
  decided_by          text,
  decided_at          timestamptz,
  lifted_at           timestamptz,
  lifted_by           text,
  lift_motivation     text,
  destroyed           boolean NOT NULL DEFAULT false,
  CONSTRAINT subject_requests_complete CHECK (destroyed OR (subject_key IS NOT NULL AND motivation IS NOT NULL)),
  CONSTRAINT subject_requests_decided CHECK (
    (decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (decided_by IS NULL)
    AND (destroyed OR (decision IS NULL) = (decision_motivation IS NULL))),
  CONSTRAINT subject_requests_lifted CHECK (
    (lifted_at IS NULL OR kind = 'restriction') AND (lifted_at IS NULL) = (lifted_by IS NULL)
    AND (destroyed OR (lifted_at IS NULL) = (lift_motivation IS NULL)))
);
CREATE INDEX subject_requests_case_idx ON subject_requests (case_id);
CREATE INDEX subject_requests_subject_idx ON subject_requests (subject_key);

-- Every access report (GDPR art. 15): who produced it and when. It names no subject: the audit
-- record of the request does, pseudonymised.
CREATE TABLE subject_access_reports (
  id           text PRIMARY KEY,
  requested_by text NOT NULL,
  generated_at timestamptz NOT NULL,
  cases        integer NOT NULL
);

-- The cases an access report left out because informing the subject was deferred under GDPR art.
-- 23, with the deferral and its ground: the internal record of a withholding the report itself
-- does not mention (GDPR art. 23(2)(h)).
CREATE TABLE subject_access_withholdings (
  report_id   text NOT NULL REFERENCES subject_access_reports (id),
  case_id     text NOT NULL REFERENCES cases (id),
  deferral_id text NOT NULL REFERENCES subject_informing_deferrals (id),
  subject_key text,
  ground      text NOT NULL,
  at          timestamptz NOT NULL,
  destroyed   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (report_id, case_id),
  CONSTRAINT subject_access_withholdings_complete CHECK (destroyed OR subject_key IS NOT NULL)
);
CREATE INDEX subject_access_withholdings_case_idx ON subject_access_withholdings (case_id);

-- The guard of every table above. TG_ARGV[0]: the columns destruction blanks; TG_ARGV[1]: the
-- columns a step may set, each once (from NULL to a value). Refused: DELETE; any change to a
-- destroyed row; a destruction that does anything but set `destroyed` and blank those columns, or
-- that happens outside a purge transaction; a step that changes anything else.
CREATE FUNCTION subject_rights_guard() RETURNS trigger AS $$
DECLARE
  blankable text[] := TG_ARGV[0]::text[];
  settable  text[] := TG_ARGV[1]::text[];
  o jsonb := to_jsonb(OLD);
  n jsonb := to_jsonb(NEW);
  k text;
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION '% keeps its history: % refused', TG_TABLE_NAME, TG_OP;
  END IF;
  IF (o ->> 'destroyed')::boolean THEN
    RAISE EXCEPTION '% row was destroyed: nothing may change it', TG_TABLE_NAME;
  END IF;
  IF (n ->> 'destroyed')::boolean THEN
    IF coalesce(current_setting('poortwachter.retention_run', true), '') = '' THEN
      RAISE EXCEPTION '%: only the retention job destroys a row', TG_TABLE_NAME;
    END IF;
    FOR k IN SELECT jsonb_object_keys(n) LOOP
      CONTINUE WHEN k = 'destroyed';
      IF k = ANY (blankable) THEN
        IF n -> k <> 'null'::jsonb THEN
          RAISE EXCEPTION '%: destruction must blank %', TG_TABLE_NAME, k;
        END IF;
      ELSIF n -> k IS DISTINCT FROM o -> k THEN
        RAISE EXCEPTION '%: destruction may not change %', TG_TABLE_NAME, k;
      END IF;
    END LOOP;
    RETURN NEW;
  END IF;
  FOR k IN SELECT jsonb_object_keys(n) LOOP
    IF n -> k IS DISTINCT FROM o -> k AND NOT (k = ANY (settable) AND o -> k = 'null'::jsonb) THEN
      RAISE EXCEPTION '% keeps its history: % cannot be changed', TG_TABLE_NAME, k;
    END IF;
  END LOOP;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER subject_informing_guard BEFORE UPDATE OR DELETE ON subject_informing
  FOR EACH ROW EXECUTE FUNCTION subject_rights_guard('{subject_key,note}', '{}');
CREATE TRIGGER subject_informing_deferrals_guard BEFORE UPDATE OR DELETE ON subject_informing_deferrals
  FOR EACH ROW EXECUTE FUNCTION subject_rights_guard('{subject_key,motivation,advice}',
    '{ended_at,ended_by,end_reason}');
CREATE TRIGGER subject_requests_guard BEFORE UPDATE OR DELETE ON subject_requests
  FOR EACH ROW EXECUTE FUNCTION subject_rights_guard(
    '{subject_key,motivation,decision_motivation,lift_motivation}',
    '{decision,decision_motivation,decided_by,decided_at,lifted_at,lifted_by,lift_motivation}');
CREATE TRIGGER subject_access_withholdings_guard BEFORE UPDATE OR DELETE ON subject_access_withholdings
  FOR EACH ROW EXECUTE FUNCTION subject_rights_guard('{subject_key}', '{}');
CREATE TRIGGER subject_access_reports_append_only BEFORE UPDATE OR DELETE ON subject_access_reports
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TRIGGER subject_informing_no_truncate BEFORE TRUNCATE ON subject_informing
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER subject_informing_deferrals_no_truncate BEFORE TRUNCATE ON subject_informing_deferrals
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER subject_requests_no_truncate BEFORE TRUNCATE ON subject_requests
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER subject_access_reports_no_truncate BEFORE TRUNCATE ON subject_access_reports
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER subject_access_withholdings_no_truncate BEFORE TRUNCATE ON subject_access_withholdings
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
