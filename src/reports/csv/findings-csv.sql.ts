import { findingFilterSql } from '../../vulns/finding-filter.sql.js';
import type { VulnFilter } from '../../vulns/inputs/vuln-filter.input.js';
import { LEVEL_LABELS, LEVELS, STATUS_LABELS, STATUSES, type ReportLang } from '../labels.js';
import { MAX_CELL_CHARS, TRUNCATED_NOTE } from './csv-cells.js';

/** Tag in the SQL text: finds the export's backend in pg_stat_activity (tests, operators). */
export const EXPORT_SQL_TAG = '/* xsc:findings-export */';

// Timestamps are stored as UTC; written as ISO 8601 with the zone (Z).
const iso = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The columns, in order: header per language and the SQL of the cell. $1/$2 hold the level and
 * status labels (in enum order), $3 the note appended to evidence cut at Excel's cell limit.
 */
const COLUMNS: [zh: string, en: string, sql: string][] = [
  ['编号', 'ID', 'f.id'],
  ['站点', 'Site', 's.name'],
  ['站点地址', 'Site URL', 's.url'],
  ['漏洞名称', 'Name', 'e.name'],
  ['等级', 'Level', `($1::text[])[array_position(enum_range(NULL::"VulnLevel"), f.level)]`],
  ['状态', 'Status', `($2::text[])[array_position(enum_range(NULL::"FindingStatus"), f.status)]`],
  ['类型', 'Kind', 'e.kind'],
  ['URL', 'URL', 'f.url'],
  ['参数', 'Parameter', 'f.parameter'],
  ['扫描器', 'Scanner', 'f.scanner'],
  ['证据', 'Evidence', `CASE WHEN length(f.evidence) > ${MAX_CELL_CHARS} THEN left(f.evidence, ${MAX_CELL_CHARS}) || $3 ELSE f.evidence END`],
  ['CVE', 'CVE', `array_to_string(e.cve, ' ')`],
  ['首次发现', 'First seen', iso('f."firstSeen"')],
  ['最近发现', 'Last seen', iso('f."lastSeen"')],
  ['状态变更时间', 'Status changed', iso('f."statusChangedAt"')],
];

export const csvHeader = (lang: ReportLang): string[] => COLUMNS.map(([zh, en]) => (lang === 'zh' ? zh : en));

/** The export's query: the findings list's filter and scope, newest first like the list. */
export function findingsCsvSql(scopeOrgId: number | null, filter: VulnFilter, lang: ReportLang): { text: string; values: unknown[] } {
  // The labels follow the enums' declaration order, which LEVELS/STATUSES repeat.
  const values: unknown[] = [LEVELS.map((l) => LEVEL_LABELS[lang][l]), STATUSES.map((s) => STATUS_LABELS[lang][s]), TRUNCATED_NOTE[lang]];
  const where = findingFilterSql(scopeOrgId, filter, values);
  const text = `${EXPORT_SQL_TAG}
    SELECT ${COLUMNS.map(([, , sql]) => sql).join(', ')}
    FROM "Finding" f JOIN "VulnEntry" e ON e.id = f."entryId" JOIN "Site" s ON s.id = f."siteId"
    WHERE ${where}
    ORDER BY f.id DESC`;
  return { text, values };
}
