-- CreateEnum
CREATE TYPE "BaselineStatus" AS ENUM ('PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE', 'MANUAL');

-- AlterEnum
ALTER TYPE "IngestBatchKind" ADD VALUE 'BASELINE';

-- CreateTable
CREATE TABLE "BaselineScript" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "target" VARCHAR(100) NOT NULL,
    "targetVersion" VARCHAR(50),
    "description" VARCHAR(4000),
    "source" VARCHAR(20) NOT NULL DEFAULT 'ADMIN',
    "latestVersion" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BaselineScript_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BaselineScriptVersion" (
    "id" SERIAL NOT NULL,
    "scriptId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BaselineScriptVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BaselineCheck" (
    "versionId" INTEGER NOT NULL,
    "checkId" VARCHAR(200) NOT NULL,
    "position" INTEGER NOT NULL,
    "title" VARCHAR(500) NOT NULL,
    "level" "VulnLevel" NOT NULL,
    "expected" VARCHAR(2000),
    "rationale" VARCHAR(4000),
    "remediation" VARCHAR(4000),

    CONSTRAINT "BaselineCheck_pkey" PRIMARY KEY ("versionId","checkId")
);

-- CreateTable
CREATE TABLE "BaselineResult" (
    "id" SERIAL NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "siteId" INTEGER NOT NULL,
    "areaCode" VARCHAR(12),
    "taskId" INTEGER,
    "scriptId" INTEGER NOT NULL,
    "versionId" INTEGER NOT NULL,
    "isLatest" BOOLEAN NOT NULL DEFAULT false,
    "passCount" INTEGER NOT NULL DEFAULT 0,
    "failCount" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "naCount" INTEGER NOT NULL DEFAULT 0,
    "manualCount" INTEGER NOT NULL DEFAULT 0,
    "passWeight" INTEGER NOT NULL DEFAULT 0,
    "scoredWeight" INTEGER NOT NULL DEFAULT 0,
    "score" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BaselineResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BaselineResultItem" (
    "resultId" INTEGER NOT NULL,
    "checkId" VARCHAR(200) NOT NULL,
    "title" VARCHAR(500),
    "status" "BaselineStatus" NOT NULL,
    "level" "VulnLevel" NOT NULL,
    "expected" VARCHAR(2000),
    "actual" VARCHAR(2000),

    CONSTRAINT "BaselineResultItem_pkey" PRIMARY KEY ("resultId","checkId")
);

-- CreateTable
CREATE TABLE "BaselineStat" (
    "organizationId" INTEGER NOT NULL,
    "areaCode" VARCHAR(12) NOT NULL,
    "scriptId" INTEGER NOT NULL,
    "results" INTEGER NOT NULL DEFAULT 0,
    "passCount" INTEGER NOT NULL DEFAULT 0,
    "failCount" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "naCount" INTEGER NOT NULL DEFAULT 0,
    "manualCount" INTEGER NOT NULL DEFAULT 0,
    "passWeight" BIGINT NOT NULL DEFAULT 0,
    "scoredWeight" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "BaselineStat_pkey" PRIMARY KEY ("organizationId","areaCode","scriptId")
);

-- CreateIndex
CREATE UNIQUE INDEX "BaselineScript_name_key" ON "BaselineScript"("name");

-- CreateIndex
CREATE UNIQUE INDEX "BaselineScriptVersion_scriptId_version_key" ON "BaselineScriptVersion"("scriptId", "version");

-- CreateIndex
CREATE INDEX "BaselineResult_siteId_scriptId_id_idx" ON "BaselineResult"("siteId", "scriptId", "id");

-- CreateIndex
CREATE INDEX "BaselineResult_organizationId_id_idx" ON "BaselineResult"("organizationId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "BaselineResult_taskId_siteId_scriptId_key" ON "BaselineResult"("taskId", "siteId", "scriptId");

-- CreateIndex
CREATE INDEX "BaselineStat_scriptId_idx" ON "BaselineStat"("scriptId");

-- AddForeignKey
ALTER TABLE "BaselineScriptVersion" ADD CONSTRAINT "BaselineScriptVersion_scriptId_fkey" FOREIGN KEY ("scriptId") REFERENCES "BaselineScript"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BaselineCheck" ADD CONSTRAINT "BaselineCheck_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "BaselineScriptVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BaselineResult" ADD CONSTRAINT "BaselineResult_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BaselineResult" ADD CONSTRAINT "BaselineResult_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BaselineResult" ADD CONSTRAINT "BaselineResult_scriptId_fkey" FOREIGN KEY ("scriptId") REFERENCES "BaselineScript"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BaselineResult" ADD CONSTRAINT "BaselineResult_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "BaselineScriptVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BaselineResultItem" ADD CONSTRAINT "BaselineResultItem_resultId_fkey" FOREIGN KEY ("resultId") REFERENCES "BaselineResult"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- BaselineStat: sums over the latest results (isLatest), per organisation, area and script.
-- Kept exact by this trigger for every insert, delete and change of a result (including the
-- cascade when a site is deleted); rows whose last result goes away are removed.
CREATE FUNCTION "baseline_result_stat"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."isLatest" THEN
    UPDATE "BaselineStat" SET
      "results" = "results" - 1,
      "passCount" = "passCount" - OLD."passCount", "failCount" = "failCount" - OLD."failCount",
      "errorCount" = "errorCount" - OLD."errorCount", "naCount" = "naCount" - OLD."naCount",
      "manualCount" = "manualCount" - OLD."manualCount",
      "passWeight" = "passWeight" - OLD."passWeight", "scoredWeight" = "scoredWeight" - OLD."scoredWeight"
    WHERE "organizationId" = OLD."organizationId" AND "areaCode" = COALESCE(OLD."areaCode", '') AND "scriptId" = OLD."scriptId";
    DELETE FROM "BaselineStat"
    WHERE "organizationId" = OLD."organizationId" AND "areaCode" = COALESCE(OLD."areaCode", '') AND "scriptId" = OLD."scriptId" AND "results" = 0;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW."isLatest" THEN
    INSERT INTO "BaselineStat" ("organizationId", "areaCode", "scriptId", "results", "passCount", "failCount", "errorCount",
      "naCount", "manualCount", "passWeight", "scoredWeight")
    VALUES (NEW."organizationId", COALESCE(NEW."areaCode", ''), NEW."scriptId", 1, NEW."passCount", NEW."failCount", NEW."errorCount",
      NEW."naCount", NEW."manualCount", NEW."passWeight", NEW."scoredWeight")
    ON CONFLICT ("organizationId", "areaCode", "scriptId") DO UPDATE SET
      "results" = "BaselineStat"."results" + 1,
      "passCount" = "BaselineStat"."passCount" + EXCLUDED."passCount", "failCount" = "BaselineStat"."failCount" + EXCLUDED."failCount",
      "errorCount" = "BaselineStat"."errorCount" + EXCLUDED."errorCount", "naCount" = "BaselineStat"."naCount" + EXCLUDED."naCount",
      "manualCount" = "BaselineStat"."manualCount" + EXCLUDED."manualCount",
      "passWeight" = "BaselineStat"."passWeight" + EXCLUDED."passWeight", "scoredWeight" = "BaselineStat"."scoredWeight" + EXCLUDED."scoredWeight";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "BaselineResult_stat_ins_del" AFTER INSERT OR DELETE ON "BaselineResult"
  FOR EACH ROW EXECUTE FUNCTION "baseline_result_stat"();
CREATE TRIGGER "BaselineResult_stat_upd" AFTER UPDATE OF "isLatest", "organizationId", "areaCode", "scriptId", "passCount",
  "failCount", "errorCount", "naCount", "manualCount", "passWeight", "scoredWeight" ON "BaselineResult"
  FOR EACH ROW WHEN (OLD."isLatest" OR NEW."isLatest") EXECUTE FUNCTION "baseline_result_stat"();

-- A site that moves to another area or organisation takes its results (and their statistics) along.
CREATE FUNCTION "baseline_site_moved"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "BaselineResult" SET "areaCode" = NEW."areaCode", "organizationId" = NEW."organizationId" WHERE "siteId" = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER "Site_baseline_moved" AFTER UPDATE OF "areaCode", "organizationId" ON "Site"
  FOR EACH ROW WHEN (OLD."areaCode" IS DISTINCT FROM NEW."areaCode" OR OLD."organizationId" IS DISTINCT FROM NEW."organizationId")
  EXECUTE FUNCTION "baseline_site_moved"();

-- "Most commonly failed checks" reads failed items only.
CREATE INDEX "BaselineResultItem_failed_idx" ON "BaselineResultItem" ("checkId") WHERE "status" = 'FAIL';
