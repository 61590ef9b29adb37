-- Flow records tied to the asset whose address they involve (issue 13): the asset of the
-- destination address, else of the source address, within the record's organisation, matched
-- at ingest like site_id. No foreign key (the table is partitioned and high-volume; an asset
-- deleted later leaves a dangling id, which the queries join away). Nullable without default:
-- adding it only changes the catalog, existing partitions are not rewritten.
ALTER TABLE flows.record ADD COLUMN asset_id int;

-- "Denied connections to monitored ports" walks denied records of an organisation in time order;
-- denials are a small share of the traffic, so a partial index keeps that walk short and costs
-- ingest only for denied rows.
CREATE INDEX record_denied_idx ON flows.record (organization_id, time_start, id) WHERE action = 'DENY';

-- Each pushed chunk adds to cells that earlier chunks of the same hour created: free room on the
-- page lets those updates be HOT (no new index entries; bytes/packets/connections are not indexed).
ALTER TABLE flows.hourly SET (fillfactor = 70);
ALTER TABLE flows.daily SET (fillfactor = 70);
ALTER TABLE flows.hourly_total SET (fillfactor = 70);

-- Narrower rollups for the aggregate queries that group by port or by site over long ranges:
-- per port (no site) and per site (no port, protocol or action), hourly and daily, kept current
-- from each chunk like flows.hourly and kept FLOW_STATS_RETENTION_DAYS.
CREATE TABLE flows.hourly_port (
  organization_id int NOT NULL,
  hour            timestamptz NOT NULL,
  dst_port        int NOT NULL,
  protocol        smallint NOT NULL,
  action          flows.action NOT NULL,
  bytes           bigint NOT NULL,
  packets         bigint NOT NULL,
  connections     bigint NOT NULL,
  UNIQUE (organization_id, hour, dst_port, protocol, action)
) WITH (fillfactor = 70);
CREATE TABLE flows.daily_port (
  organization_id int NOT NULL,
  day             timestamptz NOT NULL,
  dst_port        int NOT NULL,
  protocol        smallint NOT NULL,
  action          flows.action NOT NULL,
  bytes           bigint NOT NULL,
  packets         bigint NOT NULL,
  connections     bigint NOT NULL,
  UNIQUE (organization_id, day, dst_port, protocol, action)
) WITH (fillfactor = 70);
CREATE TABLE flows.hourly_site (
  organization_id int NOT NULL,
  hour            timestamptz NOT NULL,
  site_id         int,
  bytes           bigint NOT NULL,
  packets         bigint NOT NULL,
  connections     bigint NOT NULL,
  UNIQUE NULLS NOT DISTINCT (organization_id, hour, site_id)
) WITH (fillfactor = 70);
CREATE TABLE flows.daily_site (
  organization_id int NOT NULL,
  day             timestamptz NOT NULL,
  site_id         int,
  bytes           bigint NOT NULL,
  packets         bigint NOT NULL,
  connections     bigint NOT NULL,
  UNIQUE NULLS NOT DISTINCT (organization_id, day, site_id)
) WITH (fillfactor = 70);

-- What the rollups held before this migration, derived from the finer tables.
INSERT INTO flows.hourly_port SELECT organization_id, hour, dst_port, protocol, action, sum(bytes), sum(packets), sum(connections)
  FROM flows.hourly GROUP BY 1, 2, 3, 4, 5;
INSERT INTO flows.daily_port SELECT organization_id, day, dst_port, protocol, action, sum(bytes), sum(packets), sum(connections)
  FROM flows.daily GROUP BY 1, 2, 3, 4, 5;
INSERT INTO flows.hourly_site SELECT organization_id, hour, site_id, sum(bytes), sum(packets), sum(connections)
  FROM flows.hourly GROUP BY 1, 2, 3;
INSERT INTO flows.daily_site SELECT organization_id, day, site_id, sum(bytes), sum(packets), sum(connections)
  FROM flows.daily GROUP BY 1, 2, 3;
