import { bearerMatches } from './metrics-token.js';

describe('bearerMatches', () => {
  const token = 'a-metrics-token-of-some-length';
  it('accepts exactly "Bearer <token>"', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
  });
  it.each([undefined, '', token, `Bearer ${token}x`, `Basic ${token}`, `bearer ${token}`, ['Bearer', token]])('refuses %p', (header) => {
    expect(bearerMatches(header, token)).toBe(false);
  });
});
