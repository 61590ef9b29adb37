import { timeOrder } from './flow-writer.js';

const DAY = 86_400_000;

/** The order a stable comparison sort gives. */
const expected = (starts: number[]) => starts.map((s, i) => [s, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);

describe('timeOrder', () => {
  it('orders by start time, ties in arrival order', () => {
    const starts = [1_796_000_000_500, 1_796_000_000_000, 1_796_000_000_500, 1_796_000_003_000, 1_796_000_000_000];
    expect([...timeOrder(Float64Array.from(starts))]).toEqual([1, 4, 0, 2, 3]);
  });

  it('packs keys for spans up to the safe-integer limit and falls back to comparing beyond it', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    const now = 1_796_000_000_000;
    for (const span of [1, 3_600_000, 30 * DAY, 400 * DAY, now]) {
      const starts = Array.from({ length: 5000 }, () => now - Math.floor((random(1e9) / 1e9) * span));
      expect([...timeOrder(Float64Array.from(starts))]).toEqual(expected(starts));
    }
  });

  it('handles an empty and a one-record segment', () => {
    expect([...timeOrder(new Float64Array(0))]).toEqual([]);
    expect([...timeOrder(Float64Array.from([5]))]).toEqual([0]);
  });
});
