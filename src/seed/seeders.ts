import { seedScans } from './scans.seed.js';
import { seedBaselineScripts } from '../baseline/baseline.seed.js';
import { seedNews } from '../news/news.seed.js';
import { seedQuestionnaires } from '../questionnaires/questionnaires.seed.js';
import { SiteRepository } from '../sites/site.repository.js';
import { seedSites } from '../sites/sites.seed.js';
import { accountsSeeder, organizationsSeeder } from './demo-accounts.seed.js';
import type { Seeder } from './seed-context.js';

/**
 * Everything `npm run seed` loads, in order. A feature adds its demo data by writing an
 * idempotent function next to its code (`src/<feature>/<feature>.seed.ts`) and adding one entry
 * here.
 */
export const SEEDERS: readonly Seeder[] = [
  organizationsSeeder,
  accountsSeeder,
  { name: 'sites', run: async (ctx) => `${await seedSites(ctx.app.get(SiteRepository, { strict: false }), ctx.prisma, ctx.orgIds)} new` },
  { name: 'questionnaires', run: async (ctx) => `published version ${await seedQuestionnaires(ctx.prisma)}` },
  { name: 'news', run: (ctx) => seedNews(ctx.prisma) },
  { name: 'scans', run: (ctx) => seedScans(ctx, ctx.scansDir) },
  { name: 'baseline scripts', run: async (ctx) => `${await seedBaselineScripts(ctx.prisma)} new` },
];
