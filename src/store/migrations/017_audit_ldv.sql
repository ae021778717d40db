-- Logboek Dataverwerkingen fields of the processing log (issue 13; reference/
-- logboek-dataverwerkingen-specificaties-index.md): each record is its own action (span_id, already
-- a column) under the request's span (parent_span_id), with the time the processing started
-- (started_at; end_time is `at`, the write time), its status (Unset, Ok, Error) and the registry
-- calls that continued its trace (foreign_operations: [{spanId, target}]). Older records keep NULL
-- here: the content hash covers a field only when it is set, so their hashes still verify.
ALTER TABLE audit_log
  ADD COLUMN parent_span_id text,
  ADD COLUMN started_at timestamptz,
  ADD COLUMN status text,
  ADD COLUMN foreign_operations jsonb;

-- The append-only rule of 001_audit.sql, extended to the new columns: a tombstone may set them to
-- NULL (parent_span_id and foreign_operations link to request logs upstream), never rewrite them.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
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
     OR (NEW.parent_span_id IS NOT NULL AND NEW.parent_span_id IS DISTINCT FROM OLD.parent_span_id)
     OR (NEW.started_at IS NOT NULL AND NEW.started_at IS DISTINCT FROM OLD.started_at)
     OR (NEW.status IS NOT NULL AND NEW.status IS DISTINCT FROM OLD.status)
     OR (NEW.foreign_operations IS NOT NULL
         AND NEW.foreign_operations IS DISTINCT FROM OLD.foreign_operations)
  THEN
    RAISE EXCEPTION 'audit_log is append-only: only a tombstone update is allowed (seq %)', OLD.seq;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- The register's versions (src/audit/activity-versions.ts): the content hash of each processing
-- activity id the first time the gateway ran with it. A later start whose register gives that id
-- other content is refused: a changed activity needs a new id (Logboek Dataverwerkingen, Component:
-- Register), so the records written under the old one keep their meaning. Append-only.
CREATE TABLE processing_activity_versions (
  id            text PRIMARY KEY,
  content_hash  text NOT NULL,
  policy_hash   text NOT NULL,
  first_seen_at timestamptz NOT NULL
);
CREATE TRIGGER processing_activity_versions_append_only BEFORE UPDATE OR DELETE ON processing_activity_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER processing_activity_versions_no_truncate BEFORE TRUNCATE ON processing_activity_versions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
