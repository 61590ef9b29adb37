import { Readable } from 'node:stream';
import { ndjsonItems } from './ndjson.js';

const items = async (chunks: string[], max = 1e6) => {
  const out = [];
  for await (const batch of ndjsonItems(Readable.from(chunks.map((c) => Buffer.from(c))), max)) out.push(...batch);
  return out;
};

describe('ndjsonItems', () => {
  it('splits lines across chunks (multi-byte characters too), skips blank lines, keeps line numbers', async () => {
    const euro = Buffer.from('{"a":"€"}\n');
    const out = [];
    const src = Readable.from([Buffer.from('{"a":1}\r\n\n{"a'), Buffer.from('":2}\n'), euro.subarray(0, 7), euro.subarray(7), Buffer.from('oops\n{"a":3}')]);
    for await (const batch of ndjsonItems(src, 1e6)) out.push(...batch);
    expect(out).toEqual([
      { index: 1, raw: { a: 1 } },
      { index: 3, raw: { a: 2 } },
      { index: 4, raw: { a: '€' } },
      { index: 5, reason: 'not valid JSON' },
      { index: 6, raw: { a: 3 } },
    ]);
  });

  it('refuses bodies over the limit and overlong lines with codes', async () => {
    await expect(items(['{"a":1}\n'.repeat(20)], 100)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(items(['x'.repeat(70_000)])).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(items(['x'.repeat(70_000) + '\n'])).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
