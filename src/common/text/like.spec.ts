import { containsText, likeContains, likeLiteral } from './like.js';

describe('LIKE escaping', () => {
  it('escapes %, _ and the escape character itself', () => {
    expect(likeLiteral('100%_a\\b')).toBe('100\\%\\_a\\\\b');
    expect(likeContains('a_b')).toBe('%a\\_b%');
    expect(containsText('5%')).toEqual({ contains: '5\\%', mode: 'insensitive' });
  });
});
