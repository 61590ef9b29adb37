import type { VulnFilter } from './inputs/vuln-filter.input.js';

/**
 * The findings list's filter (FindingsService.where) as SQL, for paths that stream rows with a
 * cursor instead of going through Prisma (the CSV export). Conditions are on `f` ("Finding")
 * and `e` ("VulnEntry", joined on f."entryId"); values are appended to `params`. The export's
 * test compares its rows with the `vulns` list for the same filters, so the two cannot drift.
 *
 * `scopeOrgId` is orgScopeId(principal): null for administrators, who alone may narrow by
 * organizationId.
 */
export function findingFilterSql(scopeOrgId: number | null, f: VulnFilter, params: unknown[], trashed = false): string {
  const p = (value: unknown) => `$${params.push(value)}`;
  const and: string[] = [trashed ? 'f."trashedAt" IS NOT NULL' : 'f."trashedAt" IS NULL'];
  if (scopeOrgId !== null) and.push(`f."organizationId" = ${p(scopeOrgId)}`);
  else if (f.organizationId) and.push(`f."organizationId" = ${p(f.organizationId)}`);
  if (f.siteId) and.push(`f."siteId" = ${p(f.siteId)}`);
  if (f.taskId) {
    // Same narrowing as FindingsService.ofTask: lastTaskId has no index, the task's sites do.
    const task = p(f.taskId);
    and.push(`f."siteId" IN (SELECT "siteId" FROM "TaskSite" WHERE "taskId" = ${task})`, `(f."taskId" = ${task} OR f."lastTaskId" = ${task})`);
  }
  if (f.levels?.length) and.push(`f.level = ANY(${p(f.levels)}::"VulnLevel"[])`);
  if (f.statuses?.length) and.push(`f.status = ANY(${p(f.statuses)}::"FindingStatus"[])`);
  if (f.kind) and.push(`e.kind = ${p(f.kind)}`);
  // Like Prisma's `contains` (which the list uses): the text goes between % as it is.
  if (f.name) and.push(`e.name ILIKE ${p(`%${f.name}%`)}`);
  if (f.text) {
    const c = p(`%${f.text}%`);
    and.push(`(f.url ILIKE ${c} OR f.parameter ILIKE ${c} OR e.name ILIKE ${c})`);
  }
  // Prisma keeps DateTime as UTC in `timestamp` columns.
  const utc = (d: Date) => `(${p(d.toISOString())}::timestamptz AT TIME ZONE 'UTC')`;
  if (f.seenFrom) and.push(`f."lastSeen" >= ${utc(f.seenFrom)}`);
  if (f.seenTo) and.push(`f."lastSeen" < ${utc(f.seenTo)}`);
  if (f.firstSeenFrom) and.push(`f."firstSeen" >= ${utc(f.firstSeenFrom)}`);
  if (f.firstSeenTo) and.push(`f."firstSeen" < ${utc(f.firstSeenTo)}`);
  return and.join(' AND ');
}
