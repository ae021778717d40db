-- The privacy officer's queue of flagged refusals (issue 11 "No enumeration"; src/audit/flagged-records.ts).
-- A denial by one of the enumeration rules carries `detail.flag` (src/policy/binding.ts FLAGGED_RULES);
-- a review of one is itself an audit record (kind `review`, `detail.reviews` = the flagged record's id),
-- append-only and hash-chained like every record, and destroyed with the case by retention like them.
-- Flagged records are few among many disclosures: partial indexes keep the queue a short index scan.
CREATE INDEX audit_log_flagged_idx ON audit_log (seq) WHERE detail ->> 'flag' IS NOT NULL;
CREATE INDEX audit_log_review_idx ON audit_log ((detail ->> 'reviews')) WHERE kind = 'review';
