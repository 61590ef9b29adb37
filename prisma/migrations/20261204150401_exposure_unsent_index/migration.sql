-- The exposure-event relay reads exposures whose event is not queued yet, oldest id first. The
-- index on ("eventQueuedAt", id) held an entry for every exposure ever opened; a partial index
-- holds the unsent ones only (plus, until vacuum, entries of rows just marked sent), so it stays
-- small however many exposures exist.
DROP INDEX "Exposure_eventQueuedAt_id_idx";
CREATE INDEX "Exposure_unsent_idx" ON "Exposure" (id) WHERE "eventQueuedAt" IS NULL;
