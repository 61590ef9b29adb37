import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError } from '../common/errors/domain-error.js';
import { afterIdDesc, decodeCursor, encodeCursor, PageArgs, toConnection } from './pagination.js';

const badInput = expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'Invalid cursor', details: { field: 'after' } });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('keyset cursors', () => {
  it('decode what they encode', () => {
    const values = ['2026-01-02T03:04:05.000Z', 42];
    const cursor = encodeCursor(values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/); // URL-safe, no padding
    expect(decodeCursor(cursor, ['date', 'id'])).toEqual([new Date(values[0]), 42]);
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['JSON that is not a list', Buffer.from('{"id":1}').toString('base64url')],
    ['a list of the wrong length', encodeCursor([1, 2, 3])],
    ['empty', ''],
    ['an integer beyond 64 bits (issue 17)', 'WyIyMDIwLTAxLTAxVDAwOjAwOjAwWiIsMWUyMF0'],
    ['an id beyond int4', encodeCursor(['2020-01-01T00:00:00Z', 2 ** 31])],
    ['a date beyond year 9999', encodeCursor(['+275760-09-13T00:00:00.000Z', 1])],
    ['a date before 1970', encodeCursor(['-271821-04-20T00:00:00.000Z', 1])],
    ['a date that is no date', encodeCursor(['yesterday', 1])],
    ['a null where none may be', encodeCursor([null, 1])],
  ])('refuse %s as BAD_USER_INPUT', (_what, cursor) => {
    const e = thrown(() => decodeCursor(cursor, ['date', 'id']));
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toEqual(badInput);
  });
});

describe('afterIdDesc', () => {
  it('is no condition without a cursor', () => expect(afterIdDesc(undefined)).toEqual({}));
  it('continues below the last id seen', () => expect(afterIdDesc(encodeCursor([17]))).toEqual({ id: { lt: 17 } }));
  it.each([[['17']], [[1.5]], [[null]], [[0]], [[1e20]], [[-1]]])('refuses a cursor holding %j', (values) => {
    expect(thrown(() => afterIdDesc(encodeCursor(values)))).toEqual(badInput);
  });
});

describe('toConnection', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: 100 - i }));
  const cursorOf = (r: { id: number }) => [r.id];

  it('has a next page when the extra row came back, and ends at the last row shown', () => {
    const c = toConnection(rows(3), 2, 10, cursorOf);
    expect(c.nodes).toEqual([{ id: 100 }, { id: 99 }]);
    expect(c.edges.map((e) => decodeCursor(e.cursor, ['id']))).toEqual([[100], [99]]);
    expect(c.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor([99]) });
    expect(c.totalCount).toBe(10);
  });

  it('has no next page when fewer rows than asked came back', () => {
    const c = toConnection(rows(2), 2, 2, cursorOf);
    expect(c.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor([99]) });
  });

  it('is empty with a null end cursor when nothing came back', () => {
    expect(toConnection([], 20, 0, cursorOf)).toEqual({ edges: [], nodes: [], totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('pages through a list without gaps or repeats', () => {
    const all = rows(7);
    const seen: number[] = [];
    let after: string | undefined;
    for (;;) {
      const where = afterIdDesc(after);
      const fetched = all.filter((r) => where.id === undefined || r.id < where.id.lt).slice(0, 3 + 1);
      const page = toConnection(fetched, 3, all.length, cursorOf);
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(seen).toEqual(all.map((r) => r.id));
  });
});

describe('PageArgs', () => {
  const problems = (args: object) => validateSync(plainToInstance(PageArgs, args)).map((e) => e.property);

  it('defaults to 20 and accepts 1 to 100', () => {
    expect(plainToInstance(PageArgs, {}).first).toBe(20);
    expect(problems({ first: 1 })).toEqual([]);
    expect(problems({ first: 100, after: encodeCursor([1]) })).toEqual([]);
  });

  it.each([0, 101, -5, 2.5])('refuses first = %s', (first) => expect(problems({ first })).toEqual(['first']));

  it('refuses an over-long cursor', () => expect(problems({ after: 'x'.repeat(501) })).toEqual(['after']));
});
