-- Where a closed case's signal went (Maastricht art. 14c, 16.2a, 18.3a; Delft art. 12d, 13d, 14e,
-- 17): the kind of receiver (gemeente, afdeling, partner, riec), the receiver, and what was handed
-- over, written in the closing's own transaction. One row per case at most; the FG report counts
-- exits per receiver kind.
CREATE TABLE case_exits (
  case_id       text PRIMARY KEY REFERENCES cases (id),
  receiver_kind text NOT NULL CHECK (receiver_kind IN ('gemeente', 'afdeling', 'partner', 'riec')),
  receiver      text NOT NULL,
  handed_over   text[] NOT NULL,
  at            timestamptz NOT NULL
);

-- Append-only, like the case history: no DELETE or TRUNCATE, and one UPDATE only, inside a
-- retention purge (`poortwachter.retention_run`, 007_retention.sql), that blanks the receiver and
-- what was handed over (free text) and keeps the kind, which the statistics need (art. 10.4).
CREATE FUNCTION case_exits_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND coalesce(current_setting('poortwachter.retention_run', true), '') <> ''
     AND NEW.case_id = OLD.case_id AND NEW.receiver_kind = OLD.receiver_kind AND NEW.at = OLD.at
     AND NEW.receiver = '[destroyed]' AND NEW.handed_over = '{}' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'case_exits is append-only: % refused (only the retention job blanks a row)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER case_exits_guard BEFORE UPDATE OR DELETE ON case_exits
  FOR EACH ROW EXECUTE FUNCTION case_exits_guard();
CREATE TRIGGER case_exits_no_truncate BEFORE TRUNCATE ON case_exits
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
