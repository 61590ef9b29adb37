import { siteHost } from './site-url.js';

describe('siteHost', () => {
  it('takes the host name of a site URL, without port, path or case', () => {
    expect(siteHost('https://Example.com:8443/x?y#z')).toBe('example.com');
    expect(siteHost('http://bodgeit.securecodebox-demo.svc:8080')).toBe('bodgeit.securecodebox-demo.svc');
    expect(siteHost('https://192.168.1.1001')).toBe('192.168.1.1001');
  });
});
