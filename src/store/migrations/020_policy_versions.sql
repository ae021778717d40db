-- Policy versions (issue 14; Maastricht art. 13, Delft art. 6c, 9b). A version is the whole policy
-- set the privacy officer published: the text of every file the loader read (by path relative to
-- the policy folder), its hash (the one every audit record carries), who published it, when, why,
-- when it was adopted and when it is to be evaluated. Every replica serves the newest version
-- (src/policy/versions). Append-only: a later change is a new version, never an edit.
CREATE TABLE policy_versions (
  version         integer PRIMARY KEY CHECK (version > 0),
  hash            text NOT NULL,
  protocol_file   text NOT NULL,
  protocol_id     text NOT NULL,
  -- {"protocol.yaml": "<text>", "catalogue/brp.yaml": "<text>", ...}
  files           jsonb NOT NULL,
  author          text NOT NULL,
  published_at    timestamptz NOT NULL,
  motivation      text NOT NULL,
  adopted_on      date NOT NULL,
  next_evaluation date NOT NULL
);
CREATE INDEX policy_versions_hash_idx ON policy_versions (hash);

-- The evaluations of the protocol with the FG (Maastricht art. 13: after one year, then every
-- three years; Delft art. 9b), recorded by the privacy officer or the FG. Append-only.
CREATE TABLE policy_evaluations (
  id              text PRIMARY KEY,
  version         integer NOT NULL REFERENCES policy_versions (version),
  evaluated_on    date NOT NULL,
  evaluated_by    text NOT NULL,
  motivation      text NOT NULL,
  next_evaluation date NOT NULL,
  recorded_at     timestamptz NOT NULL
);
CREATE INDEX policy_evaluations_recorded_idx ON policy_evaluations (recorded_at);

CREATE TRIGGER policy_versions_append_only BEFORE UPDATE OR DELETE ON policy_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER policy_versions_no_truncate BEFORE TRUNCATE ON policy_versions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER policy_evaluations_append_only BEFORE UPDATE OR DELETE ON policy_evaluations
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER policy_evaluations_no_truncate BEFORE TRUNCATE ON policy_evaluations
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
