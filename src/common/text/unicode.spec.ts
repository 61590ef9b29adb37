import { clip, isStorable, toStorable } from './unicode.js';

describe('clip and isStorable', () => {
  const emoji = '\u{1F600}'; // two UTF-16 units

  it('never splits a surrogate pair', () => {
    expect(clip('a'.repeat(3) + emoji, 4)).toBe('aaa');
    expect(clip('a'.repeat(3) + emoji, 5)).toBe('aaa' + emoji);
    expect(clip(emoji + 'b', 1)).toBe('');
    expect(clip('abc', 2)).toBe('ab');
    expect(clip('abc', 9)).toBe('abc');
  });

  it('rejects NUL and lone surrogates, accepts pairs', () => {
    expect(isStorable(`ok ${emoji} é`)).toBe(true);
    expect(isStorable('a\u0000b')).toBe(false);
    expect(isStorable('a\ud83d')).toBe(false);
    expect(isStorable('\ud83db')).toBe(false);
    expect(isStorable('\ude00a')).toBe(false);
    expect(isStorable(`${emoji}\ude00`)).toBe(false);
  });
});

describe('toStorable', () => {
  it('replaces what cannot be stored, keeps pairs', () => {
    expect(toStorable('a\u0000b\ud83d \u{1F600}')).toBe('a\ufffdb\ufffd \u{1F600}');
  });
});
