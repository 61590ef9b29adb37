import { byKeys, RequestLoaders } from './request-loaders.js';

describe('byKeys', () => {
  const rows = [
    { id: 3, name: 'c' },
    { id: 1, name: 'a' },
  ];

  it('returns rows in the order of the keys, null for keys without a row', () => {
    expect(byKeys([1, 2, 3], rows, (r) => r.id)).toEqual([{ id: 1, name: 'a' }, null, { id: 3, name: 'c' }]);
  });

  it('repeats a row for a repeated key and handles no keys', () => {
    expect(byKeys([3, 3], rows, (r) => r.id)).toEqual([rows[0], rows[0]]);
    expect(byKeys([], rows, (r) => r.id)).toEqual([]);
  });
});

describe('RequestLoaders', () => {
  it('batches the look-ups of one tick into one call, per loader name', async () => {
    const calls: number[][] = [];
    const loaders = new RequestLoaders();
    const batch = async (ids: readonly number[]) => {
      calls.push([...ids]);
      return byKeys(ids, ids.filter((id) => id !== 2).map((id) => ({ id })), (r) => r.id);
    };
    const results = await Promise.all([1, 2, 3, 1].map((id) => loaders.get('thing', batch).load(id)));
    expect(results).toEqual([{ id: 1 }, null, { id: 3 }, { id: 1 }]);
    expect(calls).toEqual([[1, 2, 3]]);
    expect(loaders.get('thing', batch)).toBe(loaders.get('thing', batch));
  });

  it('keeps nothing between requests', async () => {
    let calls = 0;
    const batch = async (ids: readonly number[]) => (calls++, ids.map((id) => ({ id })));
    await new RequestLoaders().get('x', batch).load(1);
    await new RequestLoaders().get('x', batch).load(1);
    expect(calls).toBe(2);
  });
});
