// The baseline score (also stated in the GraphQL descriptions and the README):
//
//   score = 100 * Σ weight(level) over PASS items / Σ weight(level) over PASS, FAIL and ERROR items
//
// with weights CRITICAL 8, HIGH 4, MEDIUM 2, LOW 1, INFO 0, rounded to 2 decimals; null when
// nothing was scored. NOT_APPLICABLE and MANUAL items are left out of both sums.
//
// Wazuh SCA scores pass / (pass + fail), every check counting the same and "not applicable"
// left out. Ours differs in two ways: a failed critical check weighs eight low ones (a server
// with one open critical hole should not score 98%), and ERROR counts as not passed (a check
// that could not run has not shown compliance; leaving it out would let a broken agent raise
// the score). INFO checks weigh nothing: they inform, they do not harden.
import type { BaselineStatus, VulnLevel } from '../generated/prisma/enums.js';
import type { BaselineStatus as ParsedStatus } from '../ingest/parsers/types.js';

export const LEVEL_WEIGHTS: Record<VulnLevel, number> = { CRITICAL: 8, HIGH: 4, MEDIUM: 2, LOW: 1, INFO: 0 };
export const SCORED_STATUSES: readonly BaselineStatus[] = ['PASS', 'FAIL', 'ERROR'];

export interface ScoredItem {
  status: BaselineStatus;
  level: VulnLevel;
}

export interface ScoreSummary {
  passCount: number;
  failCount: number;
  errorCount: number;
  naCount: number;
  manualCount: number;
  passWeight: number;
  scoredWeight: number;
  score: number | null;
}

export function scoreOf(passWeight: number, scoredWeight: number): number | null {
  return scoredWeight > 0 ? Math.round((10_000 * passWeight) / scoredWeight) / 100 : null;
}

export function summarise(items: ScoredItem[]): ScoreSummary {
  const s = { passCount: 0, failCount: 0, errorCount: 0, naCount: 0, manualCount: 0, passWeight: 0, scoredWeight: 0 };
  for (const { status, level } of items) {
    const w = LEVEL_WEIGHTS[level];
    if (status === 'PASS') {
      s.passCount++;
      s.passWeight += w;
    }
    if (status === 'FAIL') s.failCount++;
    if (status === 'ERROR') s.errorCount++;
    if (status === 'NOT_APPLICABLE') s.naCount++;
    if (status === 'MANUAL') s.manualCount++;
    if (SCORED_STATUSES.includes(status)) s.scoredWeight += w;
  }
  return { ...s, score: scoreOf(s.passWeight, s.scoredWeight) };
}

/** The weight of a "level" column in SQL, from LEVEL_WEIGHTS (one source for both sides). */
export const levelWeightSql = (column: string): string =>
  `(CASE ${column} ${Object.entries(LEVEL_WEIGHTS).map(([l, w]) => `WHEN '${l}' THEN ${w}`).join(' ')} ELSE 0 END)`;

/**
 * Scanner statuses in xsc's five: kube-bench WARN asks a person to verify (MANUAL), XCCDF
 * notchecked has no automated check (MANUAL); notselected and informational results are outside
 * the profile (NOT_APPLICABLE); unknown means the check could not decide (ERROR).
 */
export const FROM_PARSED: Record<ParsedStatus, BaselineStatus> = {
  PASS: 'PASS',
  FAIL: 'FAIL',
  ERROR: 'ERROR',
  UNKNOWN: 'ERROR',
  WARN: 'MANUAL',
  NOT_CHECKED: 'MANUAL',
  INFO: 'NOT_APPLICABLE',
  NOT_APPLICABLE: 'NOT_APPLICABLE',
  NOT_SELECTED: 'NOT_APPLICABLE',
};
