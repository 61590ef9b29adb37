// Checks one pushed baseline item (syncBaseline) in the worker: a bad item is rejected with a
// reason and the rest of the chunk is kept. Missing titles, levels and expected values come from
// the script version's check of the same id.
import type { BaselineStatus, VulnLevel } from '../generated/prisma/enums.js';
import type { ItemRow } from './baseline-writer.js';

export const STATUSES: readonly BaselineStatus[] = ['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE', 'MANUAL'];
export const LEVELS: readonly VulnLevel[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
const CHECK_ID = /^[\x21-\x7e]{1,200}$/;

export interface ScriptCheck {
  title: string;
  level: VulnLevel;
  expected: string | null;
}

export interface SyncItem {
  checkId?: unknown;
  status?: unknown;
  level?: unknown;
  title?: unknown;
  expected?: unknown;
  actual?: unknown;
}

const text = (v: unknown, max: number, name: string): string | null | { error: string } => {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return { error: `${name} must be a string` };
  if (v.length > max) return { error: `${name} is longer than ${max} characters` };
  return v;
};

export function checkSyncItem(raw: SyncItem, checks: Map<string, ScriptCheck>): ItemRow | string {
  if (typeof raw.checkId !== 'string' || !CHECK_ID.test(raw.checkId)) return 'checkId must be 1-200 printable characters without spaces';
  const status = String(raw.status ?? '').toUpperCase() as BaselineStatus;
  if (!STATUSES.includes(status)) return `${raw.checkId}: status must be one of ${STATUSES.join(', ')}`;
  const check = checks.get(raw.checkId);
  const level = (raw.level === undefined || raw.level === null ? check?.level : String(raw.level).toUpperCase()) as VulnLevel | undefined;
  if (!level || !LEVELS.includes(level)) {
    return `${raw.checkId}: level must be one of ${LEVELS.join(', ')}${check ? '' : ' (the check is not in the script, so it is required)'}`;
  }
  const title = text(raw.title, 500, 'title');
  const expected = text(raw.expected, 2000, 'expected');
  const actual = text(raw.actual, 2000, 'actual');
  for (const v of [title, expected, actual]) if (v && typeof v === 'object') return `${raw.checkId}: ${v.error}`;
  return {
    checkId: raw.checkId,
    status,
    level,
    title: (title as string | null) ?? check?.title ?? null,
    expected: (expected as string | null) ?? check?.expected ?? null,
    actual: actual as string | null,
  };
}
