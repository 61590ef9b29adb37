-- The exposure-event relay reads exposures whose event is not queued yet, oldest id first. The
-- index on ("eventQueuedAt", id) kept an entry for every exposure ever opened, and each relay
-- walked the entries of rows it had just marked sent until vacuum removed them; a partial index
-- holds the unsent ones only, a handful once relayed.
DROP INDEX "Exposure_eventQueuedAt_id_idx";
CREATE INDEX "Exposure_unsent_idx" ON "Exposure" (id) WHERE "eventQueuedAt" IS NULL;
