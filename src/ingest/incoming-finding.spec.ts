import { checkSyncRecord, fromParsed, type IncomingFinding } from './incoming-finding.js';

const sites = new Set([7]);
const ok = (raw: Parameters<typeof checkSyncRecord>[0]) => checkSyncRecord(raw, 'zap', sites) as IncomingFinding;

describe('checkSyncRecord', () => {
  it('normalises a valid record', () => {
    const f = ok({ siteId: '7', name: ' XSS ', level: 'High', checkId: ' 40012 ', url: 'HTTPS://A.test:443/x?b=1&a=2', cve: ['cve-2021-1234'], cwe: ['CWE-79'], parameter: '' });
    expect(f).toMatchObject({ siteId: 7, name: 'XSS', level: 'HIGH', checkId: '40012', location: 'https://a.test/x?a&b', cve: ['CVE-2021-1234'], cwe: ['79'], parameter: null, scanner: 'zap' });
  });

  it.each([
    [{ siteId: '8', name: 'x', level: 'low' }, /not a target of this task/],
    [{ siteId: 'abc', name: 'x', level: 'low' }, /not a target of this task/],
    [{ siteId: 7, name: '', level: 'low' }, /name is empty/],
    [{ siteId: 7, name: 'x', level: 'urgent' }, /level must be one of/],
    [{ siteId: 7, name: 'x'.repeat(301), level: 'low' }, /name is longer than 300/],
    [{ siteId: 7, name: 'x', level: 'low', url: 'ftp://a.test/' }, /url is not an absolute http/],
    [{ siteId: 7, name: 'x', level: 'low', cve: ['CVE-1'] }, /cve entries/],
    [{ siteId: 7, name: 'x', level: 'low', cwe: ['abc'] }, /cwe entries/],
    [{ siteId: 7, name: 'x', level: 'low', references: Array(51).fill('r') }, /more than 50/],
  ])('rejects %j', (raw, reason) => {
    expect(checkSyncRecord(raw, 'zap', sites)).toMatch(reason);
  });
});

describe('fromParsed', () => {
  it('keeps a parsed finding, with a host-and-port location when it has no URL', () => {
    const f = fromParsed(
      { scanner: 'openvas', checkId: '1.3.6', name: 'Weak SSH', level: 'MEDIUM', references: [], cve: [], cwe: [], host: '10.0.0.1', port: 22, extras: {} },
      7,
    );
    expect(f).toMatchObject({ siteId: 7, scanner: 'openvas', checkId: '1.3.6', location: '//10.0.0.1:22', url: null });
  });
});
