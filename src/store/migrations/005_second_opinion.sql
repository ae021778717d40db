-- A second opinion of the FG on a privacy check (Delft art. 8b, 19f; Maastricht art. 18.1: in
-- doubt the FG is consulted): asked by anyone involved, given by the FG, both kept on the check.
ALTER TABLE privacy_check_steps DROP CONSTRAINT privacy_check_steps_kind_check;
ALTER TABLE privacy_check_steps ADD CONSTRAINT privacy_check_steps_kind_check
  CHECK (kind IN ('requested', 'advised', 'escalated', 'decided', 'revoked', 'opinion_requested', 'opinion_given'));
