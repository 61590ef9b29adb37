-- AlterTable
ALTER TABLE "BaselineResult" ADD COLUMN     "failedChecks" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "failedLevels" "VulnLevel"[] DEFAULT ARRAY[]::"VulnLevel"[];

-- CreateTable
CREATE TABLE "BaselineFailStat" (
    "organizationId" INTEGER NOT NULL,
    "scriptId" INTEGER NOT NULL,
    "checkId" VARCHAR(200) NOT NULL,
    "level" "VulnLevel" NOT NULL,
    "sites" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BaselineFailStat_pkey" PRIMARY KEY ("organizationId","scriptId","checkId","level")
);

-- CreateIndex
CREATE INDEX "BaselineFailStat_scriptId_idx" ON "BaselineFailStat"("scriptId");


-- Existing results: their failures from their items.
UPDATE "BaselineResult" r SET "failedChecks" = f.checks, "failedLevels" = f.levels
FROM (SELECT "resultId", array_agg("checkId" ORDER BY "checkId") AS checks, array_agg(level ORDER BY "checkId") AS levels
      FROM "BaselineResultItem" WHERE status = 'FAIL' GROUP BY 1) f
WHERE r.id = f."resultId";

INSERT INTO "BaselineFailStat" ("organizationId", "scriptId", "checkId", level, sites)
SELECT r."organizationId", r."scriptId", u.c, u.l, count(*)::int
FROM "BaselineResult" r, unnest(r."failedChecks", r."failedLevels") AS u(c, l)
WHERE r."isLatest" GROUP BY 1, 2, 3, 4;

-- Signed failures of result rows (+1 counted now, -1 no longer), summed per key and added in key
-- order (two batches never take BaselineFailStat rows in opposite orders). The triggers are named
-- to fire after the BaselineStat ones, so every statement takes BaselineStat rows first.
CREATE FUNCTION "baseline_fail_add"(rows jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "BaselineFailStat" ("organizationId", "scriptId", "checkId", level, sites)
  SELECT x.o, x.s, u.c, u.l, sum(x.k)::int
  FROM jsonb_to_recordset(rows) AS x(k int, o int, s int, c text[], l "VulnLevel"[]), unnest(x.c, x.l) AS u(c, l)
  GROUP BY x.o, x.s, u.c, u.l HAVING sum(x.k) <> 0
  ORDER BY x.o, x.s, u.c, u.l
  ON CONFLICT ("organizationId", "scriptId", "checkId", level) DO UPDATE SET sites = "BaselineFailStat".sites + EXCLUDED.sites
$$;

CREATE FUNCTION "baseline_result_fail_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d jsonb;
BEGIN
  SELECT jsonb_agg(jsonb_build_object('k', 1, 'o', n."organizationId", 's', n."scriptId", 'c', n."failedChecks", 'l', n."failedLevels"))
  INTO d FROM new_rows n WHERE n."isLatest" AND cardinality(n."failedChecks") > 0;
  IF d IS NOT NULL THEN PERFORM "baseline_fail_add"(d); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "baseline_result_fail_del"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d jsonb;
BEGIN
  SELECT jsonb_agg(jsonb_build_object('k', -1, 'o', o."organizationId", 's', o."scriptId", 'c', o."failedChecks", 'l', o."failedLevels"))
  INTO d FROM old_rows o WHERE o."isLatest" AND cardinality(o."failedChecks") > 0;
  IF d IS NOT NULL THEN PERFORM "baseline_fail_add"(d); END IF;
  RETURN NULL;
END $$;

-- Only rows whose latest flag, organisation, script or failures changed.
CREATE FUNCTION "baseline_result_fail_upd"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d jsonb;
BEGIN
  SELECT jsonb_agg(e) INTO d FROM (
    SELECT jsonb_build_object('k', 1, 'o', n."organizationId", 's', n."scriptId", 'c', n."failedChecks", 'l', n."failedLevels") AS e
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n."isLatest" AND cardinality(n."failedChecks") > 0
      AND (o."isLatest", o."organizationId", o."scriptId", o."failedChecks", o."failedLevels")
          IS DISTINCT FROM (n."isLatest", n."organizationId", n."scriptId", n."failedChecks", n."failedLevels")
    UNION ALL
    SELECT jsonb_build_object('k', -1, 'o', o."organizationId", 's', o."scriptId", 'c', o."failedChecks", 'l', o."failedLevels")
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE o."isLatest" AND cardinality(o."failedChecks") > 0
      AND (o."isLatest", o."organizationId", o."scriptId", o."failedChecks", o."failedLevels")
          IS DISTINCT FROM (n."isLatest", n."organizationId", n."scriptId", n."failedChecks", n."failedLevels")) x;
  IF d IS NOT NULL THEN PERFORM "baseline_fail_add"(d); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "BaselineResult_zfail_ins" AFTER INSERT ON "BaselineResult"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "baseline_result_fail_ins"();
CREATE TRIGGER "BaselineResult_zfail_del" AFTER DELETE ON "BaselineResult"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "baseline_result_fail_del"();
CREATE TRIGGER "BaselineResult_zfail_upd" AFTER UPDATE ON "BaselineResult"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "baseline_result_fail_upd"();
