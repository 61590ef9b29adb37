import { Controller, Get, Logger, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/decorators.js';
import { withTimeout } from '../common/timeout.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { RedisService } from '../redis/redis.service.js';

interface Check {
  status: 'up' | 'down';
  latencyMs: number;
}

/** One short line from a driver error (Prisma wraps the server's message in several lines). */
function conciseError(e: unknown): string {
  const last = (e instanceof Error ? e.message : String(e)).trim().split('\n').filter((l) => l.trim()).at(-1) ?? 'unknown error';
  return (/Message: `(.*)`$/.exec(last)?.[1] ?? last).slice(0, 200);
}

const log = new Logger('Health');

/** Probes one dependency; why it is down goes to the log only (it names hosts and databases). */
async function check(name: string, probe: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  const t0 = performance.now();
  try {
    await withTimeout(probe(), timeoutMs);
    return { status: 'up', latencyMs: Math.round(performance.now() - t0) };
  } catch (e) {
    log.warn(`health: ${name} is down: ${conciseError(e)}`);
    return { status: 'down', latencyMs: Math.round(performance.now() - t0) };
  }
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
  ) {}

  /** 200 when PostgreSQL and Redis both answer, 503 otherwise; each with its latency (public: no error text). */
  @Public()
  @Get()
  async health(@Res() reply: FastifyReply) {
    const [database, redis] = await Promise.all([check('database', () => this.prisma.$queryRaw`SELECT 1`), check('redis', () => this.redis.ping())]);
    const ok = database.status === 'up' && redis.status === 'up';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'error', database, redis });
  }
}
