// Text that PostgreSQL can store. Strings are UTF-16 in JavaScript: cutting one at a code unit
// can leave half of a surrogate pair, which PostgreSQL rejects (as JSON) or turns into U+FFFD (as
// text), and a NUL character cannot be stored in text at all.

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The first `max` UTF-16 units of `text`, one fewer when the cut would split a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, Math.max(end, 0));
}

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex -- NUL is the character looked for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when PostgreSQL can store the text as it is (no NUL, no half of a surrogate pair). */
export function isStorable(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The text with every NUL and half surrogate replaced by U+FFFD (for messages that echo input). */
export function toStorable(text: string): string {
  return text.replace(new RegExp(UNSTORABLE.source, 'g'), '\ufffd');
}
