import { isAllowedAddress } from './address-policy.js';

describe('isAllowedAddress', () => {
  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])('allows public %s', (ip) => {
    expect(isAllowedAddress(ip, false)).toBe(true);
  });

  it.each([
    '127.0.0.1', '10.0.0.5', '172.16.3.4', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1',
  ])('refuses internal %s unless allowed', (ip) => {
    expect(isAllowedAddress(ip, false)).toBe(false);
    expect(isAllowedAddress(ip, true)).toBe(true);
  });

  it.each(['0.0.0.0', '255.255.255.255', '224.0.0.1', '::', 'ff02::1', 'not-an-ip'])('always refuses %s', (ip) => {
    expect(isAllowedAddress(ip, true)).toBe(false);
  });
});
