-- CreateTable
CREATE TABLE "StatDirtySite" (
    "id" BIGSERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "markedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatDirtySite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatSiteCount" (
    "siteId" INTEGER NOT NULL,
    "scanner" VARCHAR(64) NOT NULL,
    "level" "VulnLevel" NOT NULL,
    "status" "FindingStatus" NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "areaCode" VARCHAR(12) NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "StatSiteCount_pkey" PRIMARY KEY ("siteId","scanner","level","status")
);

-- CreateTable
CREATE TABLE "StatRollCount" (
    "organizationId" INTEGER NOT NULL,
    "areaCode" VARCHAR(12) NOT NULL,
    "scanner" VARCHAR(64) NOT NULL,
    "level" "VulnLevel" NOT NULL,
    "status" "FindingStatus" NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "StatRollCount_pkey" PRIMARY KEY ("organizationId","areaCode","scanner","level","status")
);

-- CreateTable
CREATE TABLE "StatSiteEntry" (
    "siteId" INTEGER NOT NULL,
    "scanner" VARCHAR(64) NOT NULL,
    "entryId" INTEGER NOT NULL,
    "level" "VulnLevel" NOT NULL,
    "status" "FindingStatus" NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "StatSiteEntry_pkey" PRIMARY KEY ("siteId","scanner","entryId","level","status")
);

-- CreateTable
CREATE TABLE "StatRollEntry" (
    "organizationId" INTEGER NOT NULL,
    "scanner" VARCHAR(64) NOT NULL,
    "entryId" INTEGER NOT NULL,
    "level" "VulnLevel" NOT NULL,
    "status" "FindingStatus" NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "StatRollEntry_pkey" PRIMARY KEY ("organizationId","scanner","entryId","level","status")
);

-- CreateTable
CREATE TABLE "StatSiteDay" (
    "siteId" INTEGER NOT NULL,
    "scanner" VARCHAR(64) NOT NULL,
    "level" "VulnLevel" NOT NULL,
    "day" DATE NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "opened" INTEGER NOT NULL,
    "fixed" INTEGER NOT NULL,
    "net" INTEGER NOT NULL,
    "fixMs" BIGINT NOT NULL,

    CONSTRAINT "StatSiteDay_pkey" PRIMARY KEY ("siteId","scanner","level","day")
);

-- CreateTable
CREATE TABLE "StatRollDay" (
    "organizationId" INTEGER NOT NULL,
    "scanner" VARCHAR(64) NOT NULL,
    "level" "VulnLevel" NOT NULL,
    "day" DATE NOT NULL,
    "opened" INTEGER NOT NULL,
    "fixed" INTEGER NOT NULL,
    "net" INTEGER NOT NULL,
    "fixMs" BIGINT NOT NULL,

    CONSTRAINT "StatRollDay_pkey" PRIMARY KEY ("organizationId","day","scanner","level")
);





-- Triggers that record which sites' statistics may have changed. Statement-level with
-- transition tables: one INSERT of a few site ids per statement, whatever its row count.
CREATE FUNCTION stat_mark_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StatDirtySite" ("siteId") SELECT DISTINCT "siteId" FROM new_rows ORDER BY 1;
  RETURN NULL;
END $$;

CREATE FUNCTION stat_mark_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StatDirtySite" ("siteId") SELECT DISTINCT "siteId" FROM old_rows ORDER BY 1;
  RETURN NULL;
END $$;

-- Re-sightings update lastSeen and friends on every ingest; only changes statistics can see count.
CREATE FUNCTION stat_mark_finding_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StatDirtySite" ("siteId")
  SELECT s FROM (
    SELECT unnest(ARRAY[o."siteId", n."siteId"]) AS s
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (o."siteId", o.scanner, o.level, o.status, o."entryId", o."trashedAt", o."firstSeen")
      IS DISTINCT FROM (n."siteId", n.scanner, n.level, n.status, n."entryId", n."trashedAt", n."firstSeen")
  ) x GROUP BY s ORDER BY s;
  RETURN NULL;
END $$;

CREATE FUNCTION stat_mark_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "StatDirtySite" ("siteId")
    SELECT DISTINCT f."siteId" FROM new_rows h JOIN "Finding" f ON f.id = h."findingId" ORDER BY 1;
  ELSE
    INSERT INTO "StatDirtySite" ("siteId")
    SELECT DISTINCT f."siteId" FROM old_rows h JOIN "Finding" f ON f.id = h."findingId" ORDER BY 1;
  END IF;
  RETURN NULL;
END $$;

-- A site moved to another area or organisation: its rows move between rollup keys.
CREATE FUNCTION stat_mark_site_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StatDirtySite" ("siteId")
  SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (o."organizationId", o."areaCode") IS DISTINCT FROM (n."organizationId", n."areaCode")
  ORDER BY 1;
  RETURN NULL;
END $$;

CREATE TRIGGER stat_finding_insert AFTER INSERT ON "Finding"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_inserted();
CREATE TRIGGER stat_finding_update AFTER UPDATE ON "Finding"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_finding_updated();
CREATE TRIGGER stat_finding_delete AFTER DELETE ON "Finding"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_deleted();
CREATE TRIGGER stat_history_insert AFTER INSERT ON "FindingHistory"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_history();
CREATE TRIGGER stat_history_delete AFTER DELETE ON "FindingHistory"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_history();
CREATE TRIGGER stat_site_update AFTER UPDATE ON "Site"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_site_moved();

-- Existing data: every site is computed by the stats worker's first run.
INSERT INTO "StatDirtySite" ("siteId") SELECT id FROM "Site" ORDER BY id;
