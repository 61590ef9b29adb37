import { accountsSeeder, organizationsSeeder } from './demo-accounts.seed.js';
import type { Seeder } from './seed-context.js';

/**
 * Everything `npm run seed` loads, in order. A feature adds its demo data by writing an
 * idempotent function next to its code (`src/<feature>/<feature>.seed.ts`) and adding one entry
 * here, e.g. `{ name: 'sites', run: async (ctx) => `${await seedSites(ctx.prisma, ctx.orgIds)} new` }`.
 */
export const SEEDERS: readonly Seeder[] = [organizationsSeeder, accountsSeeder];
