/**
 * Text as XML 1.0 allows it: control characters (other than tab, newline, carriage return),
 * U+FFFE/U+FFFF and lone surrogates cannot appear in a .docx, even escaped. They are shown as
 * \xNN / \uNNNN so the reader still sees that they were there. (&, <, > are escaped by docx.)
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const xmlSafe = (text: string): string =>
  text.replace(FORBIDDEN, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
