-- Privacy checks (Maastricht art. 18 and 20; Delft art. 16-20): the recorded weighing before
-- closed data are consulted or shared. The current state is derived from the steps, which are
-- immutable history.
CREATE TABLE privacy_checks (
  id               text PRIMARY KEY,
  case_id          text NOT NULL REFERENCES cases (id),
  kind             text NOT NULL CHECK (kind IN ('1', '2a', '2b')),
  source           text NOT NULL,
  requested_fields jsonb NOT NULL,
  requested_probes jsonb NOT NULL,
  motivation       text NOT NULL,
  requested_by     text NOT NULL,
  requested_at     timestamptz NOT NULL,
  status           text NOT NULL CHECK (status IN ('requested', 'approved', 'partially_approved', 'rejected')),
  approved_fields  jsonb NOT NULL DEFAULT '[]',
  approved_probes  jsonb NOT NULL DEFAULT '[]',
  version          integer NOT NULL DEFAULT 1
);
CREATE INDEX privacy_checks_case_idx ON privacy_checks (case_id);
CREATE INDEX privacy_checks_status_idx ON privacy_checks (status);

CREATE TABLE privacy_check_steps (
  seq        bigserial PRIMARY KEY,
  check_id   text NOT NULL REFERENCES privacy_checks (id),
  kind       text NOT NULL CHECK (kind IN ('requested', 'advised')),
  actor      text NOT NULL,
  at         timestamptz NOT NULL,
  advice     text CHECK (advice IN ('GO', 'NO_GO', 'PARTIAL')),
  fields     jsonb NOT NULL DEFAULT '[]',
  probes     jsonb NOT NULL DEFAULT '[]',
  motivation text NOT NULL
);
CREATE INDEX privacy_check_steps_check_idx ON privacy_check_steps (check_id, seq);

CREATE TRIGGER privacy_check_steps_append_only BEFORE UPDATE OR DELETE ON privacy_check_steps
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER privacy_check_steps_no_truncate BEFORE TRUNCATE ON privacy_check_steps
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
