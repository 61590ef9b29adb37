import type { ChildProcess } from 'node:child_process';
import { freePort, startWorker, stop } from '../helpers/processes.js';
import { uniq } from '../helpers/factories.js';

// Spawns dist/worker.js: run `npm run build` first.
describe('a worker process (PROCESS_ROLE=worker) serves its own /metrics on WORKER_METRICS_PORT', () => {
  const token = `worker-metrics-${uniq()}-${uniq()}`;
  let worker: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/metrics`;
    worker = startWorker({ WORKER_METRICS_PORT: String(port), METRICS_TOKEN: token, HOST: '127.0.0.1', DATABASE_URL: process.env.TEST_DATABASE_URL! });
    for (let i = 0; i < 300; i++) {
      if (await fetch(url).then(() => true, () => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the worker did not open its metrics port');
  });
  afterAll(() => stop(worker));

  it('answers the token holder with its queue depths and pool use, anyone else with 401', async () => {
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/xsc_queue_jobs\{queue="ingest",state="waiting"\} \d+/);
    expect(text).toMatch(/xsc_db_pool_connections\{pool="ingest",state="total"\} \d+/);
    expect(text).toMatch(/^xsc_process_resident_memory_bytes /m);
  });
});
