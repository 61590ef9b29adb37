-- BaselineStat kept by statement-level triggers (transition tables) instead of one trigger call
-- per result row: a batch that writes many results changes the statistics once per statement,
-- with the sums grouped per (organisation, area, script) and the BaselineStat rows taken in key
-- order (so two batches never lock them in opposite orders). Same sums as before: only results
-- with "isLatest" count; a row whose last result goes away is removed.
DROP TRIGGER "BaselineResult_stat_ins_del" ON "BaselineResult";
DROP TRIGGER "BaselineResult_stat_upd" ON "BaselineResult";
DROP FUNCTION "baseline_result_stat"();

-- Adds signed per-row sums (sign +1: counted now, -1: no longer counted) to BaselineStat.
CREATE FUNCTION "baseline_stat_add"(delta jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "BaselineStat" ("organizationId", "areaCode", "scriptId", "results", "passCount", "failCount", "errorCount",
    "naCount", "manualCount", "passWeight", "scoredWeight")
  SELECT d.o, d.a, d.s, d.r, d.pc, d.fc, d.ec, d.nc, d.mc, d.pw, d.sw
  FROM jsonb_to_recordset(delta) AS d(o int, a text, s int, r int, pc int, fc int, ec int, nc int, mc int, pw bigint, sw bigint)
  ORDER BY d.o, d.a, d.s
  ON CONFLICT ("organizationId", "areaCode", "scriptId") DO UPDATE SET
    "results" = "BaselineStat"."results" + EXCLUDED."results",
    "passCount" = "BaselineStat"."passCount" + EXCLUDED."passCount", "failCount" = "BaselineStat"."failCount" + EXCLUDED."failCount",
    "errorCount" = "BaselineStat"."errorCount" + EXCLUDED."errorCount", "naCount" = "BaselineStat"."naCount" + EXCLUDED."naCount",
    "manualCount" = "BaselineStat"."manualCount" + EXCLUDED."manualCount",
    "passWeight" = "BaselineStat"."passWeight" + EXCLUDED."passWeight", "scoredWeight" = "BaselineStat"."scoredWeight" + EXCLUDED."scoredWeight";
  DELETE FROM "BaselineStat" st USING jsonb_to_recordset(delta) AS d(o int, a text, s int)
  WHERE st."organizationId" = d.o AND st."areaCode" = d.a AND st."scriptId" = d.s AND st."results" = 0;
END $$;

-- The signed sums of a set of result rows, grouped; groups whose sums are all zero are left out.
CREATE FUNCTION "baseline_stat_delta"(rows jsonb) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT COALESCE(jsonb_agg(g), '[]'::jsonb) FROM (
    SELECT x.o, x.a, x.s, sum(x.k)::int AS r, sum(x.k * x.pc)::int AS pc, sum(x.k * x.fc)::int AS fc, sum(x.k * x.ec)::int AS ec,
      sum(x.k * x.nc)::int AS nc, sum(x.k * x.mc)::int AS mc, sum(x.k * x.pw)::bigint AS pw, sum(x.k * x.sw)::bigint AS sw
    FROM jsonb_to_recordset(rows) AS x(k int, o int, a text, s int, pc int, fc int, ec int, nc int, mc int, pw bigint, sw bigint)
    GROUP BY x.o, x.a, x.s
    HAVING sum(x.k) <> 0 OR sum(x.k * x.pc) <> 0 OR sum(x.k * x.fc) <> 0 OR sum(x.k * x.ec) <> 0 OR sum(x.k * x.nc) <> 0
      OR sum(x.k * x.mc) <> 0 OR sum(x.k * x.pw) <> 0 OR sum(x.k * x.sw) <> 0
  ) g
$$;

CREATE FUNCTION "baseline_result_stat_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d jsonb;
BEGIN
  SELECT "baseline_stat_delta"(COALESCE(jsonb_agg(jsonb_build_object('k', 1, 'o', n."organizationId", 'a', COALESCE(n."areaCode", ''),
    's', n."scriptId", 'pc', n."passCount", 'fc', n."failCount", 'ec', n."errorCount", 'nc', n."naCount", 'mc', n."manualCount",
    'pw', n."passWeight", 'sw', n."scoredWeight")), '[]'::jsonb))
  INTO d FROM new_rows n WHERE n."isLatest";
  IF jsonb_array_length(d) > 0 THEN PERFORM "baseline_stat_add"(d); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "baseline_result_stat_del"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d jsonb;
BEGIN
  SELECT "baseline_stat_delta"(COALESCE(jsonb_agg(jsonb_build_object('k', -1, 'o', o."organizationId", 'a', COALESCE(o."areaCode", ''),
    's', o."scriptId", 'pc', o."passCount", 'fc', o."failCount", 'ec', o."errorCount", 'nc', o."naCount", 'mc', o."manualCount",
    'pw', o."passWeight", 'sw', o."scoredWeight")), '[]'::jsonb))
  INTO d FROM old_rows o WHERE o."isLatest";
  IF jsonb_array_length(d) > 0 THEN PERFORM "baseline_stat_add"(d); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "baseline_result_stat_upd"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d jsonb;
BEGIN
  SELECT "baseline_stat_delta"(COALESCE(jsonb_agg(jsonb_build_object('k', x.k, 'o', x."organizationId", 'a', COALESCE(x."areaCode", ''),
    's', x."scriptId", 'pc', x."passCount", 'fc', x."failCount", 'ec', x."errorCount", 'nc', x."naCount", 'mc', x."manualCount",
    'pw', x."passWeight", 'sw', x."scoredWeight")), '[]'::jsonb))
  INTO d FROM (SELECT 1 AS k, n.* FROM new_rows n WHERE n."isLatest" UNION ALL SELECT -1, o.* FROM old_rows o WHERE o."isLatest") x;
  IF jsonb_array_length(d) > 0 THEN PERFORM "baseline_stat_add"(d); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "BaselineResult_stat_ins" AFTER INSERT ON "BaselineResult"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "baseline_result_stat_ins"();
CREATE TRIGGER "BaselineResult_stat_del" AFTER DELETE ON "BaselineResult"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "baseline_result_stat_del"();
CREATE TRIGGER "BaselineResult_stat_upd" AFTER UPDATE ON "BaselineResult"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "baseline_result_stat_upd"();
