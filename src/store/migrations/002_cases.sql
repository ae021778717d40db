-- Cases and their immutable history (Maastricht art. 14-21: phases; art. 8.2: owner and substitute).
CREATE TABLE cases (
  id          text PRIMARY KEY,
  reference   text NOT NULL UNIQUE,
  theme       text,
  protocol_id text NOT NULL,
  phase       text NOT NULL,
  status      text NOT NULL CHECK (status IN ('open', 'closed')),
  outcome     text,
  owner       text NOT NULL,
  substitute  text,
  opened_at   timestamptz NOT NULL,
  closed_at   timestamptz,
  -- Optimistic concurrency: every change bumps it; a stale update changes nothing.
  version     integer NOT NULL DEFAULT 1
);
CREATE INDEX cases_owner_idx ON cases (owner);
CREATE INDEX cases_substitute_idx ON cases (substitute);

-- Every case change with actor, time and motivation. Append-only.
CREATE TABLE case_events (
  seq        bigserial PRIMARY KEY,
  case_id    text NOT NULL REFERENCES cases (id),
  kind       text NOT NULL CHECK (kind IN ('opened', 'transitioned', 'closed')),
  from_phase text,
  to_phase   text,
  outcome    text,
  actor      text NOT NULL,
  at         timestamptz NOT NULL,
  motivation text NOT NULL
);
CREATE INDEX case_events_case_idx ON case_events (case_id, seq);

-- One guard for every append-only history table: refuses UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
