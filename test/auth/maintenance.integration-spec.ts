import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { AuthMaintenanceService } from '../../src/auth/maintenance/auth-maintenance.service.js';
import { PURGE_AUTH_JOB, QUEUES } from '../../src/queue/queue.constants.js';
import { createUser, uniq } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('auth: maintenance purge', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('deletes expired and long-revoked refresh tokens and old outbox rows, keeps live ones; idempotent', async () => {
    const u = await createUser(t);
    const now = new Date();
    const day = 86_400_000;
    const token = (over: Record<string, unknown>) => ({
      userId: u.id,
      familyId: randomUUID(),
      tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      expiresAt: new Date(now.getTime() + day),
      ...over,
    });
    const live = await t.prisma.refreshToken.create({ data: token({}) });
    const usedLive = await t.prisma.refreshToken.create({ data: token({ usedAt: now }) });
    const justRevoked = await t.prisma.refreshToken.create({ data: token({ revokedAt: now }) });
    await t.prisma.refreshToken.create({ data: token({ expiresAt: new Date(now.getTime() - 1000) }) });
    await t.prisma.refreshToken.create({ data: token({ revokedAt: new Date(now.getTime() - day) }) });
    const phone = `+4470${uniq().replace(/\D/g, '').padEnd(8, '1').slice(0, 8)}`;
    await t.prisma.smsOutbox.create({ data: { phone, purpose: 'register', body: 'old', createdAt: new Date(now.getTime() - 8 * day) } });
    const fresh = await t.prisma.smsOutbox.create({ data: { phone, purpose: 'register', body: 'new' } });

    const service = t.app.get(AuthMaintenanceService);
    await service.purge(now);
    const left = await t.prisma.refreshToken.findMany({ where: { userId: u.id }, select: { id: true } });
    expect(left.map((r) => r.id).sort()).toEqual([live.id, usedLive.id, justRevoked.id].sort());
    expect((await t.prisma.smsOutbox.findMany({ where: { phone } })).map((m) => m.id)).toEqual([fresh.id]);
    expect(await service.purge(now)).toEqual({ refreshTokens: 0, smsOutbox: 0 });
  });

  it('the purge is scheduled once as a repeatable job on the maintenance queue', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.maintenance));
    const jobs = (await queue.getRepeatableJobs()).filter((j) => j.name === PURGE_AUTH_JOB);
    expect(jobs).toHaveLength(1);
  });
});
