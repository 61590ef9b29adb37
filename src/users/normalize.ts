// Canonical forms of the identifiers people type, so "Alice" and "alice", or "+86 138-0013-8000"
// and "13800138000", are the same account.

/** Usernames: 3-32 characters, a letter first (so a username never looks like a phone number). */
export const USERNAME_PATTERN = /^[a-z][a-z0-9_.-]{2,31}$/;

export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase();
}

export const isValidUsername = (value: string): boolean => USERNAME_PATTERN.test(normalizeUsername(value));

/**
 * Phones: mainland China mobiles become their 11 digits (a +86/0086 prefix dropped); other
 * numbers must be international (+ and 6-15 digits). Spaces, dashes, dots and brackets are
 * ignored. Returns null when the value is not a phone number.
 */
export function normalizePhone(value: string): string | null {
  let v = value.trim().replace(/[\s\-().]/g, '');
  if (v.startsWith('00')) v = `+${v.slice(2)}`;
  if (v.startsWith('+86')) v = v.slice(3);
  if (/^1[3-9]\d{9}$/.test(v)) return v;
  if (/^\+[1-9]\d{5,14}$/.test(v)) return v;
  return null;
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** What a login identifier is: an email (has @), a phone number, or else a username. */
export function classifyIdentifier(value: string): { field: 'email' | 'phone' | 'username'; value: string } {
  if (value.includes('@')) return { field: 'email', value: normalizeEmail(value) };
  const phone = normalizePhone(value);
  if (phone) return { field: 'phone', value: phone };
  return { field: 'username', value: normalizeUsername(value) };
}
