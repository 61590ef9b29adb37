import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Bull, { type Queue } from 'bull';
import type { FastifyInstance } from 'fastify';
import { DiscoveryService } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';
import { QUEUES } from '../queue/queue.constants.js';
import { AdminAuth, ADMIN_COOKIE } from './admin-auth.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues for administrators. Every route of the board (page, assets, JSON
 * API) first checks the caller: an access token in `Authorization: Bearer` or in the
 * `xsc_admin` cookie that POST /admin/queues/session sets. Anonymous: 401; not ADMIN: 403.
 */
export async function registerQueueBoard(app: NestFastifyApplication): Promise<void> {
  const config = app.get(AppConfig);
  const auth = new AdminAuth(app);
  const { queues, own } = boardQueues(app, config);
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullAdapter(q)), serverAdapter: board, options: { uiConfig: { boardTitle: 'xsc queues' } } });

  await app.register(
    async (scope: FastifyInstance) => {
      scope.addHook('onRequest', async (req, reply) => {
        const refused = await auth.check(req);
        if (refused) return reply.code(refused.status).send({ error: { code: refused.code, message: refused.message } });
      });
      scope.post('/session', async (req, reply) => {
        const token = auth.tokenOf(req)!;
        const secure = req.protocol === 'https' ? '; Secure' : '';
        reply.header('set-cookie', `${ADMIN_COOKIE}=${token}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${auth.ttlSeconds}${secure}`);
        return { ok: true, board: `${QUEUE_BOARD_PATH}/` };
      });
      scope.delete('/session', async (_req, reply) => {
        reply.header('set-cookie', `${ADMIN_COOKIE}=; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=0`);
        return { ok: true };
      });
      await scope.register(board.registerPlugin() as never);
      scope.addHook('onClose', async () => void (await Promise.all(own.map((q) => q.close().catch(() => undefined)))));
    },
    { prefix: QUEUE_BOARD_PATH },
  );
}

/** The queues registered in this process, plus the others by name (an API-only process lacks the workers' queues). */
function boardQueues(app: NestFastifyApplication, config: AppConfig): { queues: Queue[]; own: Queue[] } {
  const registered = new Map<string, Queue>();
  for (const w of app.get(DiscoveryService).getProviders()) {
    if (w.instance instanceof Bull) registered.set((w.instance as Queue).name, w.instance as Queue);
  }
  const own = Object.values(QUEUES)
    .filter((name) => !registered.has(name))
    .map((name) => new Bull(name, config.get('REDIS_URL'), { prefix: `${config.get('QUEUE_PREFIX')}:bull` }));
  return { queues: [...registered.values(), ...own].sort((a, b) => a.name.localeCompare(b.name)), own };
}
