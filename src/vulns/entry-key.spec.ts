import { entryKey } from './entry-key.js';

describe('entryKey', () => {
  it('uses the scanner check when both parts are given', () => {
    expect(entryKey('zap', '10202', 'Absence of Anti-CSRF Tokens')).toBe('zap:10202');
  });
  it('falls back to the trimmed lower-case name', () => {
    expect(entryKey('zap', null, '  SQL Injection ')).toBe('name:sql injection');
    expect(entryKey(undefined, '42', 'XSS')).toBe('name:xss');
  });
});
