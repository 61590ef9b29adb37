import { BullModule, InjectQueue, Process, Processor } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bull';
import { AppModule } from '../../src/app.module.js';
import { loadEnv } from '../../src/config/env.schema.js';

const STUCK = 'shutdown-test';

/** A consumer whose job never ends on its own: what a stopping worker must not wait for forever. */
@Processor(STUCK)
class StuckConsumer {
  static started: () => void = () => undefined;

  @Process()
  async run(): Promise<void> {
    StuckConsumer.started();
    await new Promise(() => undefined);
  }
}

@Module({ imports: [BullModule.registerQueue({ name: STUCK })], providers: [StuckConsumer], exports: [BullModule] })
class StuckModule {}

class Holder {
  constructor(@InjectQueue(STUCK) readonly queue: Queue) {}
}

describe('shutdown with a job still running', () => {
  it('lets go of the job after SHUTDOWN_GRACE_MS and leaves it in Redis for another worker', async () => {
    const env = loadEnv({ ...process.env, PROCESS_ROLE: 'worker', SHUTDOWN_GRACE_MS: '300' });
    @Module({ imports: [AppModule.register(env), StuckModule], providers: [Holder] })
    class StuckAppModule {}
    const app = await NestFactory.create<NestFastifyApplication>(StuckAppModule, new FastifyAdapter(), { logger: false });
    await app.init();
    const queue = app.get(Holder).queue;
    const started = new Promise<void>((resolve) => (StuckConsumer.started = resolve));
    const job = await queue.add({});
    await started;

    await app.close(); // resolves although the job's handler never does

    const { Queue: BullQueue } = { Queue: (await import('bull')).default };
    const observer = new BullQueue(STUCK, env.REDIS_URL, { prefix: `${env.QUEUE_PREFIX}:bull` });
    try {
      const stored = await observer.getJob(job.id);
      expect(stored).not.toBeNull();
      expect(await stored!.isCompleted()).toBe(false);
      expect(await stored!.isFailed()).toBe(false);
    } finally {
      await observer.close();
    }
  });
});
