// User text in a LIKE pattern: `%` and `_` are wildcards and `\` escapes in PostgreSQL, and
// Prisma's `contains` passes them through as they are. Every text filter goes through here so
// "100%" or "a_b" match literally.

/** The text with LIKE wildcards escaped (PostgreSQL's default escape character is `\`). */
export const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, '\\$&');

/** `%text%` for a raw SQL ILIKE, the text matched literally. */
export const likeContains = (text: string): string => `%${likeLiteral(text)}%`;

/** A Prisma string filter: contains the text literally, ignoring case. */
export const containsText = (text: string) => ({ contains: likeLiteral(text), mode: 'insensitive' as const });
