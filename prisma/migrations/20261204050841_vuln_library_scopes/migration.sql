-- The vulnerability library stops being one pool shared by every organisation's scanners
-- (issue 17): an entry with organizationId NULL is curated (administrators, seeds), global and
-- read-only to scanners; an entry with an organisation was made from that organisation's scanner
-- data and is seen and matched only inside it.
ALTER TABLE "VulnEntry" ADD COLUMN "organizationId" INTEGER;
-- Keys become unique per organisation (index below, once the rows are split).
DROP INDEX "VulnEntry_key_key";

-- Existing entries: used by one organisation, they become its own; used by several, the first
-- (lowest id) keeps the entry and every other one gets a copy its findings move to. Unused
-- entries stay curated.
CREATE TEMP TABLE entry_users AS
  SELECT "entryId" AS entry_id, "organizationId" AS org_id,
         row_number() OVER (PARTITION BY "entryId" ORDER BY "organizationId") AS n
  FROM (SELECT DISTINCT "entryId", "organizationId" FROM "Finding") f;

UPDATE "VulnEntry" e SET "organizationId" = u.org_id FROM entry_users u WHERE u.entry_id = e.id AND u.n = 1;

CREATE TEMP TABLE entry_copies AS
  SELECT entry_id AS old_id, org_id, nextval(pg_get_serial_sequence('"VulnEntry"', 'id'))::int AS new_id
  FROM entry_users WHERE n > 1;

INSERT INTO "VulnEntry" (id, "organizationId", key, scanner, "checkId", name, level, kind, description, solution,
                         "references", cve, cwe, "createdAt", "updatedAt")
SELECT c.new_id, c.org_id, e.key, e.scanner, e."checkId", e.name, e.level, e.kind, e.description, e.solution,
       e."references", e.cve, e.cwe, e."createdAt", e."updatedAt"
FROM entry_copies c JOIN "VulnEntry" e ON e.id = c.old_id;

-- Moved findings get the fingerprint the ingest path computes for their new entry
-- (hashComponents(): sha256 of the JSON array [version, "siteId", "entryId", location, parameter]),
-- so the next scan finds them again instead of duplicating them.
UPDATE "Finding" f SET "entryId" = c.new_id,
  fingerprint = encode(sha256(convert_to(
    '[' || f."fingerprintVersion" || ',' || to_json(f."siteId"::text)::text || ',' || to_json(c.new_id::text)::text || ','
        || coalesce(to_json(f.location)::text, 'null') || ',' || coalesce(to_json(f.parameter)::text, 'null') || ']',
    'UTF8')), 'hex')
FROM entry_copies c WHERE f."entryId" = c.old_id AND f."organizationId" = c.org_id;

DROP TABLE entry_copies;
DROP TABLE entry_users;

-- CreateIndex (NULLS NOT DISTINCT: curated keys are unique among themselves too)
CREATE UNIQUE INDEX "VulnEntry_organizationId_key_key" ON "VulnEntry"("organizationId", "key") NULLS NOT DISTINCT;

-- AddForeignKey
ALTER TABLE "VulnEntry" ADD CONSTRAINT "VulnEntry_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
