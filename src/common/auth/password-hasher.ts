import argon2 from 'argon2';

/** argon2id cost: memory in KiB, passes, lanes. */
export interface PasswordHashCost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** The library's defaults (64 MiB, t=3, p=4): memory-hard, as the spec asks; production keeps them. */
export const DEFAULT_PASSWORD_HASH_COST: PasswordHashCost = { memoryCost: 1 << 16, timeCost: 3, parallelism: 4 };

let cost = DEFAULT_PASSWORD_HASH_COST;

/**
 * Sets the cost of new hashes for this process, from PASSWORD_HASH_* at boot (AuthCoreModule).
 * Existing hashes carry their own parameters, so verifying never depends on it.
 */
export function setPasswordHashCost(next: PasswordHashCost): void {
  cost = next;
}

export const hashPassword = (plain: string): Promise<string> => argon2.hash(plain, { type: argon2.argon2id, ...cost });

export async function verifyPassword(hash: string | null, plain: string): Promise<boolean> {
  if (!hash) return false;
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}
