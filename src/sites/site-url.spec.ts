import { checkHostname, hostOf, normaliseSiteUrl, toAsciiHostname } from './site-url.js';

const ok = (input: string) => {
  const r = normaliseSiteUrl(input);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('normaliseSiteUrl', () => {
  it('adds http:// and lower-cases scheme and host', () => {
    expect(ok('Example.COM')).toEqual({ url: 'http://example.com', hostname: 'example.com', domain: 'example.com', isIp: false });
    expect(ok('HTTPS://WWW.Example.com/Path?q=1#frag').url).toBe('https://www.example.com/Path?q=1');
  });

  it('drops default ports, a lone slash and a trailing dot', () => {
    expect(ok('https://a.example.com:443/').url).toBe('https://a.example.com');
    expect(ok('http://a.example.com:80').url).toBe('http://a.example.com');
    expect(ok('http://a.example.com.:8080/x').url).toBe('http://a.example.com:8080/x');
  });

  it('computes the registrable domain with the public-suffix list', () => {
    expect(ok('http://www.beijing.gov.cn').domain).toBe('beijing.gov.cn');
    expect(ok('http://a.b.example.com.cn').domain).toBe('example.com.cn');
    expect(ok('http://shop.example.co.uk').domain).toBe('example.co.uk');
  });

  it('accepts IP addresses with the address as domain', () => {
    expect(ok('http://10.1.2.3:8080/app')).toMatchObject({ url: 'http://10.1.2.3:8080/app', domain: '10.1.2.3', isIp: true });
    expect(ok('http://[::1]:3000').domain).toBe('::1');
  });

  it('converts internationalised names to punycode', () => {
    expect(ok('http://例子.中国').hostname).toBe('xn--fsqu00a.xn--fiqs8s');
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['ftp://example.com', /http/],
    ['javascript:alert(1)', /not valid|http/],
    ['http://user:pw@example.com', /credentials/],
    ['http://localhost', /not valid/],
    ['http://exa mple.com', /not valid/],
    ['http://-bad-.com', /not valid/],
    [`http://example.com/${'a'.repeat(3000)}`, /longer/],
    ["'; DROP TABLE \"Site\"; --", /not valid/],
  ])('rejects %j', (input, error) => {
    const r = normaliseSiteUrl(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });
});

describe('checkHostname / toAsciiHostname', () => {
  it('finds the registrable domain of a subdomain', () => {
    expect(checkHostname('Mail.Example.com.')).toEqual({ ok: true, value: { hostname: 'mail.example.com', domain: 'example.com', isIp: false } });
  });
  it('normalises Unicode names and refuses URLs', () => {
    expect(toAsciiHostname('邮件.例子.中国')).toBe('xn--5nq051n.xn--fsqu00a.xn--fiqs8s');
    expect(toAsciiHostname('http://x.com/')).toBeNull();
    expect(toAsciiHostname('a b.com')).toBeNull();
  });
});

describe('hostOf', () => {
  it('takes the host name of a URL, without port, path or case', () => {
    expect(hostOf('https://Example.com:8443/x?y#z')).toBe('example.com');
    expect(hostOf('http://bodgeit.securecodebox-demo.svc:8080')).toBe('bodgeit.securecodebox-demo.svc');
    expect(hostOf('http://[::1]:8080/')).toBe('[::1]');
  });

  it('gives none for what does not parse as a URL', () => {
    expect(hostOf('https://192.168.1.1001')).toBeUndefined();
    expect(hostOf('example.com')).toBeUndefined();
  });
});
