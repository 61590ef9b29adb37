import { hashPassword, verifyPassword } from '../common/auth/password-hasher.js';
import type { DemoAccount, Seeder, SeedContext } from './seed-context.js';

/** The demo organisations; features add their demo data to each of them. */
export const DEMO_ORGANIZATIONS = ['Acme Corporation', 'Globex Industries', 'Initech'];

/** Known demo credentials. Every demo username starts with "demo-", so the seed never touches a real account. */
export const DEMO_PASSWORD = 'demo-password';
const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'demo-admin', password: DEMO_PASSWORD, role: 'ADMIN', organization: null },
  { username: 'demo-acme', password: DEMO_PASSWORD, role: 'USER', organization: 'Acme Corporation' },
  { username: 'demo-globex', password: DEMO_PASSWORD, role: 'USER', organization: 'Globex Industries' },
  { username: 'demo-initech', password: DEMO_PASSWORD, role: 'USER', organization: 'Initech' },
];

async function seedOrganizations(ctx: SeedContext): Promise<string> {
  const before = await ctx.prisma.organization.count({ where: { name: { in: DEMO_ORGANIZATIONS } } });
  for (const name of DEMO_ORGANIZATIONS) {
    const org = await ctx.prisma.organization.upsert({ where: { name }, update: {}, create: { name } });
    ctx.orgIds.push(org.id);
  }
  return `${DEMO_ORGANIZATIONS.length} (${DEMO_ORGANIZATIONS.length - before} new)`;
}

/** Creates the demo accounts, or puts them back as documented (role, organisation, password, enabled). */
async function seedAccounts(ctx: SeedContext): Promise<string> {
  const orgs = await ctx.prisma.organization.findMany({ where: { name: { in: DEMO_ORGANIZATIONS } } });
  const orgId = (name: string | null) => (name === null ? null : orgs.find((o) => o.name === name)!.id);
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    const existing = await ctx.prisma.user.findUnique({ where: { username: account.username } });
    const wanted = { role: account.role, organizationId: orgId(account.organization), disabled: false, displayName: `Demo ${account.username.slice(5)}` };
    if (!existing) {
      await ctx.prisma.user.create({ data: { username: account.username, passwordHash: await hashPassword(account.password), ...wanted } });
      created++;
    } else {
      const passwordHash = (await verifyPassword(existing.passwordHash, account.password)) ? existing.passwordHash : await hashPassword(account.password);
      await ctx.prisma.user.update({ where: { id: existing.id }, data: { ...wanted, passwordHash } });
    }
    ctx.accounts.push(account);
  }
  return `${DEMO_ACCOUNTS.length} (${created} new)`;
}

export const organizationsSeeder: Seeder = { name: 'organisations', run: seedOrganizations };
export const accountsSeeder: Seeder = { name: 'accounts', run: seedAccounts };
