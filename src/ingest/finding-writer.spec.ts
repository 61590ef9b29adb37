import { fingerprintOf, locationOf } from './findings/fingerprint.js';
import { componentsOf } from './finding-writer.js';
import { hashComponents } from './findings/fingerprint.js';
import { normaliseUrl } from './findings/normalise-url.js';

describe('componentsOf', () => {
  const cases: { url?: string; host?: string; port?: number; parameter?: string | null }[] = [
    { url: 'HTTPS://Example.COM:443/a/../b/%7euser?z=1&a=2&a=3#frag', parameter: ' id ' },
    { url: 'http://example.com', parameter: null },
    { url: 'http://[::1]:8080/x%c0', parameter: '' },
    { host: '10.0.0.1', port: 22 },
    { host: 'FE80::1' },
    {},
  ];
  it.each(cases)('gives the same fingerprint as fingerprintOf for %j', (c) => {
    const location = c.url ? (normaliseUrl(c.url) ?? null) : locationOf({ host: c.host, port: c.port });
    const mine = componentsOf({ siteId: 7, location, parameter: c.parameter ?? null }, 42);
    const theirs = fingerprintOf({ siteId: '7', entryKey: '42', location: c.url ?? location, parameter: c.parameter });
    expect(mine).toEqual(theirs.components);
    expect(hashComponents(mine)).toBe(theirs.hash);
  });
});
