import type { FindingStatus, VulnLevel } from '../generated/prisma/enums.js';

/** Languages of exported files: Chinese (the default, for the auditors) or English. */
export const REPORT_LANGS = ['zh', 'en'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/** Severities from the most to the least serious (the order of every table and chart). */
export const LEVELS: VulnLevel[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
export const STATUSES: FindingStatus[] = ['OPEN', 'FIXED', 'IGNORED', 'FALSE_POSITIVE'];

export const LEVEL_LABELS: Record<ReportLang, Record<VulnLevel, string>> = {
  zh: { CRITICAL: '严重', HIGH: '高危', MEDIUM: '中危', LOW: '低危', INFO: '信息' },
  en: { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low', INFO: 'Info' },
};

export const STATUS_LABELS: Record<ReportLang, Record<FindingStatus, string>> = {
  zh: { OPEN: '未修复', FIXED: '已修复', IGNORED: '已忽略', FALSE_POSITIVE: '误报' },
  en: { OPEN: 'Open', FIXED: 'Fixed', IGNORED: 'Ignored', FALSE_POSITIVE: 'False positive' },
};

export const RISK_LABELS: Record<ReportLang, Record<string, string>> = {
  zh: { NONE: '无', LOW: '低', MEDIUM: '中', HIGH: '高', CRITICAL: '严重' },
  en: { NONE: 'None', LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High', CRITICAL: 'Critical' },
};
