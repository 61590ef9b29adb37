import { createHash } from 'node:crypto';
import type { ParsedFinding } from '../parsers/types.js';
import { fromParsed } from '../incoming-finding.js';
import { fingerprintFinding, fingerprintOf, locationOf } from './fingerprint.js';

const finding = (over: Partial<ParsedFinding> = {}): ParsedFinding => ({
  scanner: 'zap',
  checkId: '40012',
  name: 'XSS',
  level: 'HIGH',
  references: [],
  cve: [],
  cwe: [],
  extras: {},
  ...over,
});

describe('fingerprintOf', () => {
  const base = { siteId: 's1', entryKey: 'zap:40012', location: 'https://a.example/search?q', parameter: 'q' };

  it('returns the hash with the components it was made of', () => {
    const fp = fingerprintOf(base);
    expect(fp.components).toEqual({ version: 1, siteId: 's1', entryKey: 'zap:40012', location: 'https://a.example/search?q', parameter: 'q' });
    const expected = createHash('sha256').update(JSON.stringify([1, 's1', 'zap:40012', 'https://a.example/search?q', 'q'])).digest('hex');
    expect(fp.hash).toBe(expected);
    expect(fp.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same for the same place written differently (locationOf makes the location canonical)', () => {
    const variants = ['HTTPS://A.example:443/search?q=2#x', 'https://a.example/./search?q=other', 'https://a.example/x/../search?q'];
    for (const url of variants) expect(fingerprintOf({ ...base, location: locationOf({ url }) }).hash).toBe(fingerprintOf(base).hash);
  });

  it('differs when any component differs', () => {
    const hashes = new Set(
      [base, { ...base, siteId: 's2' }, { ...base, entryKey: 'zap:40014' }, { ...base, location: 'https://a.example/other' }, { ...base, parameter: 'Q' }, { ...base, parameter: null }].map(
        (input) => fingerprintOf(input).hash,
      ),
    );
    expect(hashes.size).toBe(6);
  });

  it('cannot be confused by separators inside components', () => {
    const a = fingerprintOf({ siteId: 's1', entryKey: 'a|b', location: null, parameter: 'c' });
    const b = fingerprintOf({ siteId: 's1', entryKey: 'a', location: null, parameter: 'b|c' });
    const c = fingerprintOf({ siteId: 's1","a', entryKey: 'b', location: null, parameter: null });
    expect(new Set([a.hash, b.hash, c.hash]).size).toBe(3);
  });

  it('treats empty and whitespace parameters as none', () => {
    expect(fingerprintOf({ ...base, parameter: '  ' }).hash).toBe(fingerprintOf({ ...base, parameter: undefined }).hash);
    expect(fingerprintOf({ ...base, parameter: '  ' }).components.parameter).toBeNull();
  });
});

describe('locationOf and fingerprintFinding', () => {
  it('uses the normalised URL when there is one, else //host:port', () => {
    expect(locationOf({ url: 'https://A.example:443/x?b=1&a=2', host: 'a.example', port: 443 })).toBe('https://a.example/x?a&b');
    expect(locationOf({ host: 'Nuclei-Example.com', port: 22 })).toBe('//nuclei-example.com:22');
    expect(locationOf({ host: '2001:db8::1', port: 443 })).toBe('//[2001:db8::1]:443');
    expect(locationOf({ host: '10.0.0.1' })).toBe('//10.0.0.1');
    expect(locationOf({})).toBeNull();
  });

  it("fingerprints a parsed finding with its library entry key (entryKey: scanner:checkId) unless an entry id is given", () => {
    const f = finding({ url: 'https://a.example/s?q=1', parameter: 'q' });
    expect(fingerprintFinding('s1', f)).toEqual(fingerprintOf({ siteId: 's1', entryKey: 'zap:40012', location: 'https://a.example/s?q', parameter: 'q' }));
    expect(fingerprintFinding('s1', f, '42').components.entryKey).toBe('42');
  });

  it.each([
    { url: 'HTTPS://Example.COM:443/a/../b/%7euser?z=1&a=2&a=3#frag', parameter: ' id ' },
    { url: 'http://[::1]:8080/x%c0', parameter: '' },
    { host: '10.0.0.1', port: 22 },
    { host: 'FE80::1' },
    {},
  ])('is the fingerprint ingestion stores for the same parsed finding: %j', (over) => {
    const f = finding(over);
    const incoming = fromParsed(f, 7); // what finding-writer.ts fingerprints
    expect(fingerprintOf({ siteId: '7', entryKey: '42', location: incoming.location, parameter: incoming.parameter })).toEqual(fingerprintFinding('7', f, '42'));
  });
});
