import { loadEnv } from '../../config/env.schema.js';
import { DEFAULT_PASSWORD_HASH_COST, hashPassword, setPasswordHashCost, verifyPassword } from './password-hasher.js';

describe('password hashing cost', () => {
  afterAll(() => setPasswordHashCost(DEFAULT_PASSWORD_HASH_COST));

  it('defaults to the production cost (64 MiB, t=3, p=4)', () => {
    const env = loadEnv({});
    expect([env.PASSWORD_HASH_MEMORY_KIB, env.PASSWORD_HASH_TIME_COST, env.PASSWORD_HASH_PARALLELISM]).toEqual([65536, 3, 4]);
    expect(DEFAULT_PASSWORD_HASH_COST).toEqual({ memoryCost: 65536, timeCost: 3, parallelism: 4 });
  });

  it('hashes with the configured cost; any stored hash still verifies', async () => {
    setPasswordHashCost(DEFAULT_PASSWORD_HASH_COST);
    const strong = await hashPassword('pw-one');
    expect(strong).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    setPasswordHashCost({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
    const cheap = await hashPassword('pw-two');
    expect(cheap).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(await verifyPassword(strong, 'pw-one')).toBe(true);
    expect(await verifyPassword(cheap, 'pw-two')).toBe(true);
    expect(await verifyPassword(cheap, 'pw-one')).toBe(false);
  });

  it('refuses a cost argon2 cannot use', () => {
    expect(() => loadEnv({ PASSWORD_HASH_MEMORY_KIB: '512' })).toThrow(/PASSWORD_HASH_MEMORY_KIB/);
    expect(() => loadEnv({ PASSWORD_HASH_TIME_COST: '0' })).toThrow(/PASSWORD_HASH_TIME_COST/);
  });
});
