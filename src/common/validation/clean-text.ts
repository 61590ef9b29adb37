// Text PostgreSQL cannot store (NUL) or that is not valid Unicode (a lone UTF-16 surrogate, which
// JSON and URI functions reject): refused at the edge, so it never reaches a query or a library.
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isCleanText = (s: string): boolean => !UNSTORABLE.test(s);

export const cleanTextMessage = 'contains a NUL character or an unpaired UTF-16 surrogate';
