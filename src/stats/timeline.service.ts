import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { badInput } from '../common/errors/domain-error.js';
import type { VulnLevel } from '../generated/prisma/enums.js';
import type { StatsFilter, TimelineInterval } from './inputs/stats-filter.input.js';
import type { TimelineBucket, TimelinePeriod, TimelineTotal, VulnTimeline } from './models/stats.models.js';
import { COUNT_TABLES, DAY_TABLES, Params, aggregateSource } from './stats-scope.js';
import { LEVELS, StatsQueryService } from './stats-query.service.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 1096;

const utcDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

/** The start of the bucket after the one holding `t` (UTC midnight). */
function nextBoundary(t: number, interval: TimelineInterval): number {
  const d = new Date(t);
  if (interval === 'DAY') return t + DAY_MS;
  if (interval === 'WEEK') return t + ((8 - (d.getUTCDay() || 7)) % 7 || 7) * DAY_MS; // next Monday
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Buckets covering [from, to): calendar-aligned, the first and last cut to the range. */
export function bucketsOf(from: number, to: number, interval: TimelineInterval): [number, number][] {
  const out: [number, number][] = [];
  for (let s = from; s < to; ) {
    const e = Math.min(nextBoundary(s, interval), to);
    out.push([s, e]);
    s = e;
  }
  return out;
}

interface DayRow {
  level: VulnLevel;
  /** Days since 1970-01-01 (UTC), whatever the time zone of the process. */
  dayNo: number;
  opened: number;
  fixed: number;
  net: number;
  fixMs: string;
}

/**
 * The timeline, read from the daily aggregates. Open at the end of a bucket = open now minus the
 * net openings after it; so the numbers of the past stay right whatever happened since.
 */
@Injectable()
export class TimelineService {
  constructor(private readonly stats: StatsQueryService) {}

  async timeline(principal: Principal, filter: StatsFilter | undefined, fromDate: Date, toDate: Date, interval: TimelineInterval): Promise<VulnTimeline> {
    const from = utcDay(fromDate);
    const to = utcDay(toDate);
    if (to <= from) throw badInput('to must be at least one day after from', { field: 'to' });
    if (to - from > MAX_DAYS * DAY_MS) throw badInput(`The range is at most ${MAX_DAYS} days`, { field: 'to' });
    const prevFrom = from - (to - from);
    const f = { ...this.stats.resolve(principal, filter), statuses: undefined };
    const levels = LEVELS.filter((l) => !f.levels || f.levels.includes(l));

    const p = new Params();
    const days = aggregateSource(DAY_TABLES, f, p, { status: false });
    const since = p.add(new Date(prevFrom).toISOString().slice(0, 10), 'date');
    const counts = aggregateSource(COUNT_TABLES, { ...f, statuses: ['OPEN'] }, p);
    // One statement, so the open counts and the daily rows come from one snapshot (a drain
    // committing between two reads would shift "open at end" by what it changed).
    const all = await this.stats.query<DayRow & { open: number | null }>(
      `SELECT c.level, (c.day - DATE '1970-01-01') AS "dayNo", sum(c.opened)::int AS opened, sum(c.fixed)::int AS fixed,
              sum(c.net)::int AS net, sum(c."fixMs")::text AS "fixMs", NULL::int AS open
       FROM ${days.from} WHERE ${days.where} AND c.day >= ${since} GROUP BY 1, 2
       UNION ALL
       SELECT c.level, NULL, 0, 0, 0, '0', sum(c.n)::int FROM ${counts.from} WHERE ${counts.where} GROUP BY 1`,
      p,
    );
    const rows = all.filter((r) => r.open === null);
    const open = all.filter((r) => r.open !== null).map((r) => ({ level: r.level, n: r.open! }));
    const openNow = new Map(open.map((r) => [r.level, r.n]));
    const sums = new Map(levels.map((l) => [l, new PrefixSums(rows.filter((r) => r.level === l))]));

    const period = (a: number, b: number): TimelinePeriod => {
      const point = (s: number, e: number, level: VulnLevel) => {
        const x = sums.get(level)!;
        const inRange = x.between(s, e);
        return { level, opened: inRange.opened, fixed: inRange.fixed, openAtEnd: (openNow.get(level) ?? 0) - x.netFrom(e), fixMs: inRange.fixMs };
      };
      const buckets: TimelineBucket[] = bucketsOf(a, b, interval).map(([s, e]) => ({
        start: new Date(s),
        end: new Date(e),
        levels: levels.map((l) => {
          const { fixMs: _ms, ...pt } = point(s, e, l);
          return pt;
        }),
      }));
      const totals: TimelineTotal[] = levels.map((l) => {
        const { fixMs, ...pt } = point(a, b, l);
        return { ...pt, meanTimeToFixHours: pt.fixed ? fixMs / pt.fixed / 3_600_000 : null };
      });
      return { from: new Date(a), to: new Date(b), buckets, totals };
    };
    return { interval, current: period(from, to), previous: period(prevFrom, from) };
  }
}

/** Running sums over one level's days, for any [s, e) in O(log n). */
class PrefixSums {
  private readonly t: number[] = [];
  /** acc[i] = sums over the first i days. */
  private readonly acc: { opened: number; fixed: number; net: number; fixMs: number }[] = [{ opened: 0, fixed: 0, net: 0, fixMs: 0 }];

  constructor(rows: DayRow[]) {
    for (const r of [...rows].sort((a, b) => a.dayNo - b.dayNo)) {
      const last = this.acc[this.acc.length - 1];
      this.t.push(r.dayNo * DAY_MS);
      this.acc.push({ opened: last.opened + r.opened, fixed: last.fixed + r.fixed, net: last.net + r.net, fixMs: last.fixMs + Number(r.fixMs) });
    }
  }

  /** Index of the first day >= t. */
  private at(t: number): number {
    let lo = 0, hi = this.t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.t[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  between(s: number, e: number) {
    const a = this.acc[this.at(s)], b = this.acc[this.at(e)];
    return { opened: b.opened - a.opened, fixed: b.fixed - a.fixed, fixMs: b.fixMs - a.fixMs };
  }

  /** Net change of the open count on days >= t. */
  netFrom(t: number): number {
    return this.acc[this.acc.length - 1].net - this.acc[this.at(t)].net;
  }
}
