-- One statement per audit flush (issue 15, P4): the chain lock, the head read, the link of every
-- record and its INSERT happen in the database, so an append is one round trip and, outside a
-- caller's transaction, its own commit. The gateway computes each record's content hash (over
-- its canonical JSON, src/audit/hash-chain.ts); the link is the same as before:
-- hash = sha256(prev_hash || content_hash) as lowercase hex, the first prev_hash 64 zeros.
-- `records` is a JSON array of objects keyed by audit_log's column names, in chain order.
-- Each statement of a plpgsql function takes a new snapshot, so the head is read after the lock
-- is held and sees every record committed before: the chain stays linear across replicas.
CREATE FUNCTION audit_append(records jsonb)
RETURNS TABLE (record_id text, record_seq bigint, record_prev_hash text, record_hash text)
LANGUAGE plpgsql AS $$
DECLARE
  head text;
  rec audit_log;
BEGIN
  PERFORM pg_advisory_xact_lock(7071300002);
  SELECT a.hash INTO head FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
  head := coalesce(head, repeat('0', 64));
  FOR rec IN
    SELECT (jsonb_populate_record(NULL::audit_log, e.value)).*
    FROM jsonb_array_elements(records) WITH ORDINALITY AS e(value, n)
    ORDER BY e.n
  LOOP
    rec.prev_hash := head;
    rec.hash := encode(sha256(convert_to(head || rec.content_hash, 'UTF8')), 'hex');
    INSERT INTO audit_log (id, at, kind, actor, roles, client_id, case_id, phase,
        processing_activity, operation, source, subject_pseudonym, subject_type, probes, fields,
        mode, decision, reason, policy_hash, trace_id, span_id, parent_span_id, started_at,
        status, foreign_operations, detail, content_hash, prev_hash, hash)
      VALUES (rec.id, rec.at, rec.kind, rec.actor, rec.roles, rec.client_id, rec.case_id,
        rec.phase, rec.processing_activity, rec.operation, rec.source, rec.subject_pseudonym,
        rec.subject_type, rec.probes, rec.fields, rec.mode, rec.decision, rec.reason,
        rec.policy_hash, rec.trace_id, rec.span_id, rec.parent_span_id, rec.started_at,
        rec.status, rec.foreign_operations, rec.detail, rec.content_hash, rec.prev_hash, rec.hash)
      RETURNING audit_log.seq INTO rec.seq;
    head := rec.hash;
    record_id := rec.id;
    record_seq := rec.seq;
    record_prev_hash := rec.prev_hash;
    record_hash := rec.hash;
    RETURN NEXT;
  END LOOP;
END $$;
