import { bucketsOf } from './timeline.service.js';

const d = (s: string) => Date.parse(`${s}T00:00:00Z`);
const iso = (b: [number, number][]) => b.map(([s, e]) => [new Date(s).toISOString().slice(0, 10), new Date(e).toISOString().slice(0, 10)]);

describe('timeline buckets', () => {
  it('days', () => {
    expect(iso(bucketsOf(d('2026-02-27'), d('2026-03-02'), 'DAY'))).toEqual([
      ['2026-02-27', '2026-02-28'], ['2026-02-28', '2026-03-01'], ['2026-03-01', '2026-03-02'],
    ]);
  });

  it('ISO weeks start on Monday; the first and last are cut to the range', () => {
    // 2026-12-02 is a Wednesday
    expect(iso(bucketsOf(d('2026-12-02'), d('2026-12-16'), 'WEEK'))).toEqual([
      ['2026-12-02', '2026-12-07'], ['2026-12-07', '2026-12-14'], ['2026-12-14', '2026-12-16'],
    ]);
    expect(iso(bucketsOf(d('2026-12-07'), d('2026-12-14'), 'WEEK'))).toEqual([['2026-12-07', '2026-12-14']]);
  });

  it('calendar months', () => {
    expect(iso(bucketsOf(d('2026-01-15'), d('2026-03-10'), 'MONTH'))).toEqual([
      ['2026-01-15', '2026-02-01'], ['2026-02-01', '2026-03-01'], ['2026-03-01', '2026-03-10'],
    ]);
  });
});
