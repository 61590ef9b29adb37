import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, t=3): memory-hard, as the spec asks. */
export const hashPassword = (plain: string): Promise<string> => argon2.hash(plain, { type: argon2.argon2id });

export async function verifyPassword(hash: string | null, plain: string): Promise<boolean> {
  if (!hash) return false;
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}
