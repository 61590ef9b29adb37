-- The update triggers join their transition tables (old and new rows by id). Transition tables
-- have no statistics, so once PL/pgSQL caches a generic plan it estimates one row per side and
-- picks a nested loop: 25,000,000 comparisons for a 5,000-finding re-sighting chunk (10 s per
-- chunk in bench:ingest's duplicates pass). Without nested loops the join is a hash join, a few
-- milliseconds whatever the chunk size.
ALTER FUNCTION stat_mark_finding_updated() SET enable_nestloop = off;
ALTER FUNCTION stat_mark_site_moved() SET enable_nestloop = off;
