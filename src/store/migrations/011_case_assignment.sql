-- Staff of a case (Maastricht art. 8.2): the beheerder designates and reassigns a case's owner
-- (RO/AVO) and substitute. Each reassignment is an event in the case history, with the staff
-- before and after and the motivation, written in the same transaction as the change.
ALTER TABLE case_events DROP CONSTRAINT case_events_kind_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_kind_check
  CHECK (kind IN ('opened', 'transitioned', 'closed', 'assigned'));
ALTER TABLE case_events ADD COLUMN from_owner text;
ALTER TABLE case_events ADD COLUMN to_owner text;
ALTER TABLE case_events ADD COLUMN from_substitute text;
ALTER TABLE case_events ADD COLUMN to_substitute text;
-- An assignment names the new owner; other events name no staff change at all.
ALTER TABLE case_events ADD CONSTRAINT case_events_assigned_staff CHECK (
  (kind = 'assigned' AND to_owner IS NOT NULL AND from_owner IS NOT NULL)
  OR (kind <> 'assigned' AND from_owner IS NULL AND to_owner IS NULL
      AND from_substitute IS NULL AND to_substitute IS NULL)
);

-- The history stays append-only (007_retention.sql), and the purge destroys staff ids along with
-- the motivations (Maastricht art. 10.3): besides `motivation` and `actor`, the staff columns of an
-- assignment may only stay as they were or become '[destroyed]'; every other column stays exactly
-- as it was. The same function guards privacy_check_steps, which has no staff columns.
CREATE OR REPLACE FUNCTION history_destroy_only() RETURNS trigger AS $$
DECLARE
  staff text[] := ARRAY['actor', 'from_owner', 'to_owner', 'from_substitute', 'to_substitute'];
  col text;
BEGIN
  IF TG_OP = 'UPDATE'
     AND coalesce(current_setting('poortwachter.retention_run', true), '') <> ''
     AND NEW.motivation = '[destroyed]'
     AND (to_jsonb(NEW) - 'motivation' - staff) = (to_jsonb(OLD) - 'motivation' - staff)
  THEN
    FOREACH col IN ARRAY staff LOOP
      IF (to_jsonb(NEW) ->> col) IS DISTINCT FROM (to_jsonb(OLD) ->> col)
         AND (to_jsonb(NEW) ->> col) IS DISTINCT FROM '[destroyed]' THEN
        RAISE EXCEPTION '% is append-only: UPDATE refused (retention may only blank motivation and staff ids)',
          TG_TABLE_NAME;
      END IF;
    END LOOP;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused (retention may only blank motivation and actor)',
    TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
