-- What a privacy check is about and for whom (Maastricht art. 18.1, 20.1-20.3; Delft art. 16-20):
-- the subjects it concerns, the departments a check 2a/2b shares with, and, when it was approved
-- by a theme dataset instead of an advice, which dataset version did so (Delft art. 16g-h, 19g).
-- An approval lapses when its case moves back out of the check's phase range (Delft ch. 5).
ALTER TABLE privacy_checks ADD COLUMN subjects jsonb NOT NULL DEFAULT '[]';
ALTER TABLE privacy_checks ADD COLUMN recipients jsonb NOT NULL DEFAULT '[]';
ALTER TABLE privacy_checks ADD COLUMN theme_dataset text;

ALTER TABLE privacy_checks DROP CONSTRAINT privacy_checks_status_check;
ALTER TABLE privacy_checks ADD CONSTRAINT privacy_checks_status_check
  CHECK (status IN ('requested', 'approved', 'partially_approved', 'rejected', 'escalated', 'revoked', 'lapsed'));

ALTER TABLE privacy_check_steps DROP CONSTRAINT privacy_check_steps_kind_check;
ALTER TABLE privacy_check_steps ADD CONSTRAINT privacy_check_steps_kind_check
  CHECK (kind IN ('requested', 'advised', 'escalated', 'decided', 'revoked', 'opinion_requested',
                  'opinion_given', 'theme_approved', 'lapsed'));
