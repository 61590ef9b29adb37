import { verifyPassword } from '../../src/common/auth/password-hasher.js';
import { hashPassword } from '../../src/common/auth/password-hasher.js';
import { freshDatabase, type FreshDatabase } from '../helpers/databases.js';
import { uniq } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

// The initializer only acts on a database without administrators, so each test gets an empty one.
describe('first start: the administrator from ADMIN_USERNAME / ADMIN_PASSWORD', () => {
  let db: FreshDatabase;
  const apps: TestApp[] = [];
  const boot = async (vars: Record<string, string>) => {
    const t = await startTestApp({ PROCESS_ROLE: 'api', DATABASE_URL: db.url, ...vars }); // see note: a second app's workers in one process hang on close
    apps.push(t);
    return t;
  };
  beforeEach(async () => (db = await freshDatabase()));
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.close()));
    await db.drop();
  });

  const vars = () => ({ ADMIN_USERNAME: `root-${uniq()}`, ADMIN_PASSWORD: `pw-${uniq()}-long` });

  it('is created once, with a working password, and a second start creates nothing', async () => {
    const v = vars();
    const first = await boot(v);
    const admins = await first.prisma.user.findMany({ where: { role: 'ADMIN' } });
    expect(admins).toHaveLength(1);
    expect(admins[0]).toMatchObject({ username: v.ADMIN_USERNAME, organizationId: null, disabled: false });
    expect(await verifyPassword(admins[0].passwordHash, v.ADMIN_PASSWORD)).toBe(true);
    expect(await verifyPassword(admins[0].passwordHash, 'wrong-password')).toBe(false);
    await first.close();
    apps.splice(0);

    const second = await boot(v);
    expect(await second.prisma.user.findMany({ where: { role: 'ADMIN' } })).toEqual(admins);
  });

  it('is not created when an administrator already exists, whatever its name', async () => {
    const seed = await boot({});
    const existing = await seed.prisma.user.create({ data: { username: `boss-${uniq()}`, role: 'ADMIN', passwordHash: await hashPassword('x'.repeat(12)) } });
    const v = vars();
    const t = await boot(v);
    expect(await t.prisma.user.findMany({ where: { role: 'ADMIN' }, select: { id: true } })).toEqual([{ id: existing.id }]);
    expect(await t.prisma.user.count({ where: { username: v.ADMIN_USERNAME } })).toBe(0);
  });

  it('does not promote an ordinary user who already has that username', async () => {
    const v = vars();
    const seed = await boot({});
    const org = await seed.prisma.organization.create({ data: { name: `org-${uniq()}` } });
    await seed.prisma.user.create({ data: { username: v.ADMIN_USERNAME, role: 'USER', organizationId: org.id } });
    const t = await boot(v);
    expect(await t.prisma.user.findUnique({ where: { username: v.ADMIN_USERNAME } })).toMatchObject({ role: 'USER', passwordHash: null });
    expect(await t.prisma.user.count({ where: { role: 'ADMIN' } })).toBe(0);
  });

  it('is not created without the variables', async () => {
    const t = await boot({});
    expect(await t.prisma.user.count()).toBe(0);
  });

  it('is created exactly once when two processes start together', async () => {
    const v = vars();
    const [a] = await Promise.all([boot(v), boot(v), boot(v)]);
    expect(await a.prisma.user.count({ where: { role: 'ADMIN' } })).toBe(1);
  });
});
