-- Flow logs (issue 13). Everything lives in the "flows" schema, which Prisma neither models nor
-- diffs: its tables are partitioned (Prisma's diffing would try to drop partitions) and are only
-- reached through SQL (src/flows). Days are UTC days.

CREATE SCHEMA flows;

CREATE TYPE flows.action AS ENUM ('ALLOW', 'DENY');

-- One row per pushed chunk (syncFlow call or POST /ingest/flows body), committed in the same
-- transaction as its records: the chunk key makes a replay a no-op.
CREATE TABLE flows.batch (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id int NOT NULL REFERENCES public."Organization"(id) ON DELETE CASCADE,
  api_key_id      int,
  chunk_key       varchar(200) NOT NULL,
  source          varchar(10) NOT NULL,
  received        int NOT NULL DEFAULT 0,
  accepted        int NOT NULL DEFAULT 0,
  rejected        int NOT NULL DEFAULT 0,
  rejections      jsonb NOT NULL DEFAULT '[]',
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, chunk_key)
);
CREATE INDEX ON flows.batch (created_at);

CREATE SEQUENCE flows.record_id_seq AS bigint CACHE 1000;

-- Raw flow records, one partition per UTC day of time_start (flows.ensure_day); records of a
-- day without a partition wait in the default partition until the maintenance job makes it.
CREATE TABLE flows.record (
  id              bigint NOT NULL DEFAULT nextval('flows.record_id_seq'),
  organization_id int NOT NULL,
  site_id         int,
  time_start      timestamptz NOT NULL,
  time_end        timestamptz NOT NULL,
  src_addr        inet NOT NULL,
  src_port        int NOT NULL,
  dst_addr        inet NOT NULL,
  dst_port        int NOT NULL,
  protocol        smallint NOT NULL,
  bytes           bigint NOT NULL,
  packets         bigint NOT NULL,
  action          flows.action NOT NULL
) PARTITION BY RANGE (time_start);
CREATE INDEX ON flows.record (organization_id, time_start, id);
CREATE TABLE flows.record_default PARTITION OF flows.record DEFAULT;

-- The distinct source addresses seen per hourly cell: what makes hourly.distinct_sources exact
-- when rolled up batch by batch (a source counts once, in the batch that first inserts it).
-- Needed only while records of that hour may still arrive, so it is partitioned and dropped
-- with the raw records.
CREATE TABLE flows.hour_source (
  organization_id int NOT NULL,
  hour            timestamptz NOT NULL,
  site_id         int,
  dst_port        int NOT NULL,
  protocol        smallint NOT NULL,
  action          flows.action NOT NULL,
  src_addr        inet NOT NULL,
  UNIQUE NULLS NOT DISTINCT (organization_id, hour, site_id, dst_port, protocol, action, src_addr)
) PARTITION BY RANGE (hour);
CREATE TABLE flows.hour_source_default PARTITION OF flows.hour_source DEFAULT;

-- Hourly aggregates (the old flowStatis), kept FLOW_STATS_RETENTION_DAYS like the two rollups below.
CREATE TABLE flows.hourly (
  organization_id  int NOT NULL,
  hour             timestamptz NOT NULL,
  site_id          int,
  dst_port         int NOT NULL,
  protocol         smallint NOT NULL,
  action           flows.action NOT NULL,
  bytes            bigint NOT NULL,
  packets          bigint NOT NULL,
  connections      bigint NOT NULL,
  distinct_sources bigint NOT NULL,
  UNIQUE NULLS NOT DISTINCT (organization_id, hour, site_id, dst_port, protocol, action)
);

CREATE INDEX ON flows.hourly (organization_id, site_id, hour);

-- The same totals per UTC day, and per hour without site and port: long ranges read these
-- (whole days from flows.daily, the partial days at the edges from flows.hourly).
CREATE TABLE flows.daily (
  organization_id  int NOT NULL,
  day              timestamptz NOT NULL,
  site_id          int,
  dst_port         int NOT NULL,
  protocol         smallint NOT NULL,
  action           flows.action NOT NULL,
  bytes            bigint NOT NULL,
  packets          bigint NOT NULL,
  connections      bigint NOT NULL,
  UNIQUE NULLS NOT DISTINCT (organization_id, day, site_id, dst_port, protocol, action)
);
CREATE TABLE flows.hourly_total (
  organization_id  int NOT NULL,
  hour             timestamptz NOT NULL,
  protocol         smallint NOT NULL,
  action           flows.action NOT NULL,
  bytes            bigint NOT NULL,
  packets          bigint NOT NULL,
  connections      bigint NOT NULL,
  UNIQUE (organization_id, hour, protocol, action)
);

-- Creates the partitions of one UTC day (records and hour sources) unless they exist, moving
-- any rows of that day parked in the default partitions into them. Idempotent.
CREATE FUNCTION flows.ensure_day(day date) RETURNS boolean LANGUAGE plpgsql AS $$
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
    EXECUTE format('CREATE TABLE flows.%I (LIKE flows.%I INCLUDING DEFAULTS)', part, t);
    EXECUTE format('WITH moved AS (DELETE FROM flows.%I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO flows.%I SELECT * FROM moved',
                   t || '_default', col, col, part) USING lo, hi;
    EXECUTE format('ALTER TABLE flows.%I ATTACH PARTITION flows.%I FOR VALUES FROM (%L) TO (%L)', t, part, lo, hi);
  END LOOP;
  RETURN true;
END $$;

-- Drops the day partitions that end on or before `cutoff` (and deletes rows that old from the
-- default partitions). Returns the number of days dropped.
CREATE FUNCTION flows.drop_before(cutoff date) RETURNS int LANGUAGE plpgsql AS $$
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
  RETURN n;
END $$;
