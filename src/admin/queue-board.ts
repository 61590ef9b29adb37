import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { QueueDirectoryService } from '../metrics/queue-directory.service.js';
import { AdminAuth, ADMIN_COOKIE } from './admin-auth.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues for administrators. Every route of the board (page, assets, JSON
 * API) first checks the caller: an access token in `Authorization: Bearer` or in the
 * `xsc_admin` cookie that POST /admin/queues/session sets. Anonymous: 401; not ADMIN: 403.
 * It shows every queue of the deployment (QueueDirectoryService), whichever role this process has.
 */
export async function registerQueueBoard(app: NestFastifyApplication): Promise<void> {
  const auth = new AdminAuth(app);
  const queues = app.get(QueueDirectoryService).all();
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
    },
    { prefix: QUEUE_BOARD_PATH },
  );
}
