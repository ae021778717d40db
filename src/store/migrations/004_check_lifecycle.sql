-- The full life of a privacy check (Delft art. 16-20; Maastricht art. 18, 20): the analyst may
-- escalate an advice to the coordinator, whose decision is recorded, with whether it deviates
-- from the privacy officer's advice (Delft art. 16d-e); an approval can be revoked. Steps stay
-- immutable history; the check row holds the current state derived from them.
ALTER TABLE privacy_checks DROP CONSTRAINT privacy_checks_status_check;
ALTER TABLE privacy_checks ADD CONSTRAINT privacy_checks_status_check
  CHECK (status IN ('requested', 'approved', 'partially_approved', 'rejected', 'escalated', 'revoked'));

ALTER TABLE privacy_check_steps DROP CONSTRAINT privacy_check_steps_kind_check;
ALTER TABLE privacy_check_steps ADD CONSTRAINT privacy_check_steps_kind_check
  CHECK (kind IN ('requested', 'advised', 'escalated', 'decided', 'revoked'));
-- A coordinator's decision that differs from the privacy officer's advice (counted for the FG).
ALTER TABLE privacy_check_steps ADD COLUMN deviation boolean NOT NULL DEFAULT false;
