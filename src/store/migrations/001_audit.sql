-- The processing log (design.md "Audit"; Logboek Dataverwerkingen). One row per disclosure,
-- denial, case mutation, privacy-check step or policy load. Subjects only as keyed HMAC.
-- Append-only with a hash chain: hash = sha256(prev_hash || content_hash), in seq order.
CREATE TABLE audit_log (
  seq                 bigserial PRIMARY KEY,
  id                  text NOT NULL UNIQUE,
  at                  timestamptz NOT NULL,
  kind                text NOT NULL,
  actor               text,
  roles               text[],
  client_id           text,
  case_id             text,
  phase               text,
  -- Logboek: dpl.core.processing_activity_id
  processing_activity text,
  operation           text,
  source              text,
  -- Logboek: dpl.core.data_subject_id (pseudonymised: HMAC-SHA256 of "<type>:<id>", hex)
  subject_pseudonym   text,
  subject_type        text,
  probes              jsonb,
  fields              jsonb,
  mode                text,
  decision            text NOT NULL,
  reason              text,
  policy_hash         text,
  trace_id            text,
  span_id             text,
  detail              jsonb,
  content_hash        text NOT NULL,
  prev_hash           text NOT NULL,
  hash                text NOT NULL UNIQUE,
  -- Retention nulls the personal columns and sets this; the hashes keep the chain verifiable.
  tombstone           boolean NOT NULL DEFAULT false,
  CONSTRAINT audit_log_complete CHECK (
    tombstone OR (
      actor IS NOT NULL AND roles IS NOT NULL AND processing_activity IS NOT NULL
      AND operation IS NOT NULL AND reason IS NOT NULL AND policy_hash IS NOT NULL
      AND trace_id IS NOT NULL
    )
  )
);
CREATE INDEX audit_log_case_idx ON audit_log (case_id);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_pseudonym);
CREATE INDEX audit_log_actor_idx ON audit_log (actor);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- Refuses DELETE and TRUNCATE, and every UPDATE except turning a record into a tombstone:
-- tombstone false -> true, seq/id/at/kind/decision and the three hashes unchanged, and every other
-- column either unchanged or set to NULL (retention may destroy, never rewrite).
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
  END IF;
  IF OLD.tombstone OR NOT NEW.tombstone
     OR NEW.seq IS DISTINCT FROM OLD.seq OR NEW.id IS DISTINCT FROM OLD.id
     OR NEW.at IS DISTINCT FROM OLD.at OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.decision IS DISTINCT FROM OLD.decision
     OR NEW.content_hash IS DISTINCT FROM OLD.content_hash
     OR NEW.prev_hash IS DISTINCT FROM OLD.prev_hash OR NEW.hash IS DISTINCT FROM OLD.hash
     OR (NEW.actor IS NOT NULL AND NEW.actor IS DISTINCT FROM OLD.actor)
     OR (NEW.roles IS NOT NULL AND NEW.roles IS DISTINCT FROM OLD.roles)
     OR (NEW.client_id IS NOT NULL AND NEW.client_id IS DISTINCT FROM OLD.client_id)
     OR (NEW.case_id IS NOT NULL AND NEW.case_id IS DISTINCT FROM OLD.case_id)
     OR (NEW.phase IS NOT NULL AND NEW.phase IS DISTINCT FROM OLD.phase)
     OR (NEW.processing_activity IS NOT NULL
         AND NEW.processing_activity IS DISTINCT FROM OLD.processing_activity)
     OR (NEW.operation IS NOT NULL AND NEW.operation IS DISTINCT FROM OLD.operation)
     OR (NEW.source IS NOT NULL AND NEW.source IS DISTINCT FROM OLD.source)
     OR (NEW.subject_pseudonym IS NOT NULL AND NEW.subject_pseudonym IS DISTINCT FROM OLD.subject_pseudonym)
     OR (NEW.subject_type IS NOT NULL AND NEW.subject_type IS DISTINCT FROM OLD.subject_type)
     OR (NEW.probes IS NOT NULL AND NEW.probes IS DISTINCT FROM OLD.probes)
     OR (NEW.fields IS NOT NULL AND NEW.fields IS DISTINCT FROM OLD.fields)
     OR (NEW.mode IS NOT NULL AND NEW.mode IS DISTINCT FROM OLD.mode)
     OR (NEW.reason IS NOT NULL AND NEW.reason IS DISTINCT FROM OLD.reason)
     OR (NEW.policy_hash IS NOT NULL AND NEW.policy_hash IS DISTINCT FROM OLD.policy_hash)
     OR (NEW.trace_id IS NOT NULL AND NEW.trace_id IS DISTINCT FROM OLD.trace_id)
     OR (NEW.span_id IS NOT NULL AND NEW.span_id IS DISTINCT FROM OLD.span_id)
     OR (NEW.detail IS NOT NULL AND NEW.detail IS DISTINCT FROM OLD.detail)
  THEN
    RAISE EXCEPTION 'audit_log is append-only: only a tombstone update is allowed (seq %)', OLD.seq;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only_rows BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_append_only_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
