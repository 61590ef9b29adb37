import { siteAddressWarning } from './site-address-warning.js';

describe('siteAddressWarning', () => {
  it.each(['http://127.0.0.1:8080', 'https://10.1.2.3/app', 'http://192.168.0.10', 'http://[::1]:3000', 'http://169.254.169.254', 'http://app.localhost'])(
    'warns about %s',
    (url) => {
      expect(siteAddressWarning(url, false)).toMatch(/private or loopback address.*BLOCKED_ADDRESS.*PROBE_ALLOW_PRIVATE/);
    },
  );

  it.each(['https://example.com', 'http://8.8.8.8', 'https://[2001:4860:4860::8888]', 'https://localhost.example.com'])('is quiet about %s', (url) => {
    expect(siteAddressWarning(url, false)).toBeNull();
  });

  it('is quiet when the probe may connect to internal addresses', () => {
    expect(siteAddressWarning('http://127.0.0.1', true)).toBeNull();
  });
});
