-- flows.hour_source keyed by one int8 per hourly cell instead of four columns (issue 13): every
-- flow record's (cell, source) passes through its unique index at ingest, and the four-column
-- key with NULLS NOT DISTINCT made that the costliest step of a chunk. The cell packs the site
-- (id + 1, 0 for none), destination port, protocol and action; flows.hour_source_cells decodes
-- it for the queries.

CREATE FUNCTION flows.cell(site_id int, dst_port int, protocol smallint, action flows.action) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (coalesce(site_id::bigint + 1, 0) << 25) | (dst_port::bigint << 9) | (protocol::bigint << 1) | (action = 'DENY')::int;

ALTER TABLE flows.hour_source RENAME TO hour_source_old;
ALTER TABLE flows.hour_source_default RENAME TO hour_source_old_default;

CREATE TABLE flows.hour_source (
  organization_id int NOT NULL,
  hour            timestamptz NOT NULL,
  cell            bigint NOT NULL,
  src_addr        inet NOT NULL,
  UNIQUE (organization_id, hour, cell, src_addr)
) PARTITION BY RANGE (hour);
CREATE TABLE flows.hour_source_default PARTITION OF flows.hour_source DEFAULT;

-- The day partitions again, under their names (flows.ensure_day and flows.drop_before find them by name).
DO $$
DECLARE
  p record;
BEGIN
  FOR p IN
    SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'flows.hour_source_old'::regclass AND c.relname ~ '_\d{8}$'
  LOOP
    EXECUTE format('ALTER TABLE flows.%I RENAME TO %I', p.relname, p.relname || '_old');
    EXECUTE format('CREATE TABLE flows.%I PARTITION OF flows.hour_source %s', p.relname, p.bound);
  END LOOP;
END $$;

INSERT INTO flows.hour_source
SELECT organization_id, hour, flows.cell(site_id, dst_port, protocol, action), src_addr FROM flows.hour_source_old;
DROP TABLE flows.hour_source_old;

-- The hour sources with the cell's columns, as flows.hourly names them.
CREATE VIEW flows.hour_source_cells AS
SELECT organization_id, hour,
       (nullif(cell >> 25, 0) - 1)::int AS site_id,
       ((cell >> 9) & 65535)::int AS dst_port,
       ((cell >> 1) & 255)::smallint AS protocol,
       (CASE cell & 1 WHEN 1 THEN 'DENY' ELSE 'ALLOW' END)::flows.action AS action,
       src_addr
FROM flows.hour_source;
