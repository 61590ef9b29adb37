import { xmlSafe } from './xml-safe.js';

describe('xmlSafe', () => {
  it('shows characters XML 1.0 forbids as escapes and keeps everything else', () => {
    expect(xmlSafe('a\u0000b\u0001c\u000bd\u001fe\uFFFEf\uFFFF')).toBe('a\\x00b\\x01c\\x0bd\\x1fe\\ufffef\\uffff');
    expect(xmlSafe('tab\tnl\ncr\r <&> 中文 😀')).toBe('tab\tnl\ncr\r <&> 中文 😀');
  });
  it('escapes lone surrogates but not pairs', () => {
    expect(xmlSafe('x\uD800y\uDC00z')).toBe('x\\ud800y\\udc00z');
    expect(xmlSafe('\uD83D\uDE00')).toBe('😀');
  });
});
