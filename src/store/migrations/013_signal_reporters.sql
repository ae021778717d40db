-- Who reported a signal, apart from the signal (Maastricht art. 6.1; Delft art. 4): the reporter's
-- name and contact, for the case's analysts to communicate with the reporter, and nothing else.
-- They are destroyed when the case records that receipt was acknowledged, and with the case's
-- other personal data by the retention purge. The row stays as the trace of that destruction:
-- `destroyed_at` and `destroyed_reason`, never the name or contact.
CREATE TABLE signal_reporters (
  case_id          text PRIMARY KEY REFERENCES cases (id),
  name             text,
  contact          text,
  recorded_at      timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  destroyed_at     timestamptz,
  destroyed_reason text,
  CONSTRAINT signal_reporters_complete CHECK (
    (destroyed_at IS NULL AND name IS NOT NULL AND contact IS NOT NULL)
    OR (destroyed_at IS NOT NULL AND name IS NULL AND contact IS NULL AND destroyed_reason IS NOT NULL))
);

-- Nothing but the one destruction changes a row: no DELETE, no TRUNCATE, and an UPDATE only from
-- kept to destroyed (name and contact gone, time and reason set), never back.
CREATE FUNCTION signal_reporters_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.destroyed_at IS NULL AND NEW.destroyed_at IS NOT NULL
     AND NEW.case_id = OLD.case_id AND NEW.recorded_at = OLD.recorded_at
     AND NEW.name IS NULL AND NEW.contact IS NULL THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'signal_reporters changes only by destruction: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER signal_reporters_guard BEFORE UPDATE OR DELETE ON signal_reporters
  FOR EACH ROW EXECUTE FUNCTION signal_reporters_guard();
CREATE TRIGGER signal_reporters_no_truncate BEFORE TRUNCATE ON signal_reporters
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
