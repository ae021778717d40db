-- A case reference is unique among the cases of its owner, not across the municipality (issue 10).
-- A reference unique across all cases made openCase an oracle: an analyst trying a reference
-- learned that another team had a case with it (Maastricht art. 8.2: only a case's owner and
-- substitute know of its signal). Two analysts may now use the same reference; a case is
-- identified by its id. Destroyed cases keep `destroyed:<id>` under the destroyed owner, still
-- unique.
ALTER TABLE cases DROP CONSTRAINT cases_reference_key;
ALTER TABLE cases ADD CONSTRAINT cases_owner_reference_key UNIQUE (owner, reference);
