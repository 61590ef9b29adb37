import type { INestApplicationContext } from '@nestjs/common';
import type { PrismaService } from '../prisma/prisma.service.js';

/** A demo account the seed guarantees, printed at the end so a newcomer can sign in. */
export interface DemoAccount {
  username: string;
  password: string;
  role: 'ADMIN' | 'USER';
  organization: string | null;
}

/** What every seeder gets: the booted application (its services), Prisma, and what earlier seeders made. */
export interface SeedContext {
  app: INestApplicationContext;
  prisma: PrismaService;
  /** The demo organisations (filled by the first seeder), for features that add data per organisation. */
  orgIds: number[];
  accounts: DemoAccount[];
  /** SCANS_DIR: where the sample scanner reports are (unset: next to the repository). */
  scansDir?: string;
}

/**
 * One feature's demo data. `run` must be idempotent (upserts, createMany with skipDuplicates,
 * look-ups by natural key): `npm run seed` may be run any number of times. It returns a short
 * summary for the seed's output ("12 sites").
 */
export interface Seeder {
  name: string;
  run(ctx: SeedContext): Promise<string | void>;
}

/** Runs the seeders in order; returns one summary line per seeder. */
export async function runSeeders(ctx: SeedContext, seeders: readonly Seeder[]): Promise<string[]> {
  const lines: string[] = [];
  for (const seeder of seeders) {
    const summary = await seeder.run(ctx);
    lines.push(`${seeder.name}: ${summary || 'done'}`);
  }
  return lines;
}
