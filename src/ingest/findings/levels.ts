// How each scanner's own severity becomes an xsc level (CRITICAL, HIGH, MEDIUM, LOW, INFO).
import type { Level } from '../parsers/types.js';

/** CVSS (v2 or v3) base score to level, with the CVSS v3 qualitative bands. */
export function cvssLevel(score: number): Level {
  if (!Number.isFinite(score) || score <= 0) return 'INFO';
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  return 'LOW';
}

const LEVEL_WORDS = new Map<string, Level>([
  ['critical', 'CRITICAL'],
  ['high', 'HIGH'],
  ['medium', 'MEDIUM'],
  ['low', 'LOW'],
  ['info', 'INFO'],
]);

/** A scanner's severity word, if it is one of `known` (case and spaces ignored), else `fallback`. */
function wordLevel(word: unknown, known: readonly Level[], fallback: Level): Level {
  const level = LEVEL_WORDS.get(String(word ?? '').trim().toLowerCase());
  return level && known.includes(level) ? level : fallback;
}

/** Nuclei `info.severity`: critical/high/medium/low map one to one; info, unknown or missing -> INFO. */
export function nucleiLevel(severity: unknown): Level {
  return wordLevel(severity, ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'], 'INFO');
}

/**
 * ZAP `riskcode` 3/2/1/0 = High/Medium/Low/Informational; ZAP has no critical.
 * `confidence` 0 = False Positive, 1 Low, 2 Medium, 3 High, 4 User Confirmed:
 * a confirmed High becomes CRITICAL, a false positive is kept but as INFO.
 */
export function zapLevel(riskcode: unknown, confidence: unknown): Level {
  const risk = Number(riskcode);
  const conf = Number(confidence);
  if (conf === 0) return 'INFO';
  if (risk === 3) return conf === 4 ? 'CRITICAL' : 'HIGH';
  if (risk === 2) return 'MEDIUM';
  if (risk === 1) return 'LOW';
  return 'INFO';
}

/**
 * OpenVAS/GVM: the result's `severity` is a CVSS score (negative = false positive, debug or
 * error); we use the CVSS v3 bands, so 9.0-10.0 is CRITICAL although GVM's "nist" class calls
 * it High. Without a usable score we fall back to `threat` (High/Medium/Low; Log/Debug -> INFO).
 */
export function openvasLevel(threat: unknown, severity: unknown): Level {
  const score = typeof severity === 'number' ? severity : Number.parseFloat(String(severity ?? ''));
  if (Number.isFinite(score)) return cvssLevel(score);
  return wordLevel(threat, ['HIGH', 'MEDIUM', 'LOW'], 'INFO');
}

/** XCCDF rule `severity` (high/medium/low/info); "unknown" (the XCCDF default) -> MEDIUM. */
export function xccdfLevel(severity: unknown): Level {
  return wordLevel(severity, ['HIGH', 'MEDIUM', 'LOW', 'INFO'], 'MEDIUM');
}

/** kube-bench has no severity: scored (automated) checks are MEDIUM, manual ones LOW. */
export function kubeBenchLevel(scored: unknown): Level {
  return scored === true ? 'MEDIUM' : 'LOW';
}
