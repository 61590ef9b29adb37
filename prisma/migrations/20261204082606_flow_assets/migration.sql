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
