-- flows.hour_source without WAL (issue 13). Every flow record passes through its unique index,
-- and logging those rows was about a quarter of the WAL of an ingested chunk. The table holds
-- nothing that is not in flows.record: it is the set of (hour, cell, source) of the raw records,
-- so it is UNLOGGED and rebuilt from the records an hour at a time when lost.
--
-- PostgreSQL empties unlogged tables after a crash (and a promoted standby or a base backup has
-- them empty). flows.hour_source_ready, unlogged too and so emptied with it, lists the hours
-- whose sources are complete. flows.restore_hour_sources() rebuilds the hours it is given that
-- are not listed, from the committed records, before they are used: the ingest calls it for the
-- hours of its chunk before adding the chunk's sources (so hourly.distinct_sources never counts
-- again a source seen before a crash), the queries for the hours they read.

CREATE UNLOGGED TABLE flows.hour_source_ready (
  organization_id int NOT NULL,
  hour            timestamptz NOT NULL,
  PRIMARY KEY (organization_id, hour)
);

DO $$
DECLARE
  p record;
BEGIN
  FOR p IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'flows.hour_source'::regclass
  LOOP
    EXECUTE format('ALTER TABLE flows.%I SET UNLOGGED', p.relname);
  END LOOP;
END $$;

-- What is there now is complete.
INSERT INTO flows.hour_source_ready SELECT DISTINCT organization_id, hour FROM flows.hour_source;

-- As before, with the hour_source partitions created UNLOGGED.
CREATE OR REPLACE FUNCTION flows.ensure_day(day date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  t text;
  lo timestamptz := day::timestamp AT TIME ZONE 'UTC';
  hi timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
  col text;
  part text;
BEGIN
  IF to_regclass(format('flows.record_%s', to_char(day, 'YYYYMMDD'))) IS NOT NULL THEN
    RETURN false;
  END IF;
  FOREACH t IN ARRAY ARRAY['record', 'hour_source'] LOOP
    col := CASE t WHEN 'record' THEN 'time_start' ELSE 'hour' END;
    part := format('%s_%s', t, to_char(day, 'YYYYMMDD'));
    EXECUTE format('CREATE %s TABLE flows.%I (LIKE flows.%I INCLUDING DEFAULTS)',
                   CASE t WHEN 'hour_source' THEN 'UNLOGGED' ELSE '' END, part, t);
    EXECUTE format('WITH moved AS (DELETE FROM flows.%I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO flows.%I SELECT * FROM moved',
                   t || '_default', col, col, part) USING lo, hi;
    EXECUTE format('ALTER TABLE flows.%I ATTACH PARTITION flows.%I FOR VALUES FROM (%L) TO (%L)', t, part, lo, hi);
  END LOOP;
  RETURN true;
END $$;

-- As before, and the ready marks of the dropped days go too.
CREATE OR REPLACE FUNCTION flows.drop_before(cutoff date) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  p record;
  n int := 0;
BEGIN
  FOR p IN
    SELECT c.relname, substring(c.relname from '_(\d{8})$') AS day
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent IN ('flows.record'::regclass, 'flows.hour_source'::regclass)
      AND c.relname ~ '_\d{8}$'
  LOOP
    IF to_date(p.day, 'YYYYMMDD') < cutoff THEN
      EXECUTE format('DROP TABLE flows.%I', p.relname);
      IF p.relname LIKE 'record_%' THEN n := n + 1; END IF;
    END IF;
  END LOOP;
  DELETE FROM flows.record_default WHERE time_start < cutoff::timestamp AT TIME ZONE 'UTC';
  DELETE FROM flows.hour_source_default WHERE hour < cutoff::timestamp AT TIME ZONE 'UTC';
  DELETE FROM flows.hour_source_ready WHERE hour < cutoff::timestamp AT TIME ZONE 'UTC';
  RETURN n;
END $$;

-- Rebuilds the sources of the organisation's `hours` that are not marked ready, from the
-- committed records (the calling transaction's own records are left out: the ingest adds those
-- itself and counts the new ones), and marks them ready. A concurrent call for the same hour
-- waits for the first to commit and then does nothing. Returns the hours rebuilt.
CREATE FUNCTION flows.restore_hour_sources(org int, hours timestamptz[]) RETURNS int LANGUAGE sql AS $$
  WITH missing AS (
    INSERT INTO flows.hour_source_ready (organization_id, hour)
    SELECT org, h FROM unnest(hours) h WHERE h IS NOT NULL ORDER BY 2
    ON CONFLICT DO NOTHING
    RETURNING hour
  ), restored AS (
    INSERT INTO flows.hour_source (organization_id, hour, cell, src_addr)
    SELECT DISTINCT org, m.hour, flows.cell(r.site_id, r.dst_port, r.protocol, r.action), r.src_addr
    FROM missing m JOIN flows.record r
      ON r.organization_id = org AND r.time_start >= m.hour AND r.time_start < m.hour + interval '1 hour'
    WHERE r.xmin <> pg_current_xact_id()::xid
    ON CONFLICT DO NOTHING
  )
  SELECT count(*)::int FROM missing
$$;
