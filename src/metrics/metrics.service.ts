import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bull';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SqlPool } from '../db/sql-pool.js';
import { IngestDb } from '../db/ingest-db.js';
import { QueueDirectoryService } from './queue-directory.service.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
/** Distinct GraphQL operation names kept as labels; later ones count as "other" (clients choose names). */
const MAX_OPERATION_NAMES = 200;
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The process's Prometheus metrics (one registry per application, so tests can boot several).
 * Counters and histograms are fed by the HTTP hook, the GraphQL plugin, queue events and the
 * ingest applier; queue depth and pool use are read when /metrics is scraped.
 */
@Injectable()
export class MetricsService implements OnApplicationBootstrap {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  readonly httpDuration = new Histogram({
    name: 'xsc_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly httpErrors = new Counter({
    name: 'xsc_http_request_errors_total',
    help: 'HTTP answers with a status of 400 or more, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly gqlDuration = new Histogram({
    name: 'xsc_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation name and type',
    labelNames: ['operation', 'type'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly gqlErrors = new Counter({
    name: 'xsc_graphql_operation_errors_total',
    help: 'Errors in GraphQL responses by operation name and error code',
    labelNames: ['operation', 'code'],
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'xsc_queue_job_duration_seconds',
    help: 'Duration of queue jobs run by this process, by queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });
  readonly ingested = new Counter({
    name: 'xsc_ingest_records_total',
    help: 'Records applied by this process from ingest batches, by batch kind and result (created, updated, rejected)',
    labelNames: ['kind', 'result'],
    registers: [this.registry],
  });
  readonly ingestBatches = new Counter({
    name: 'xsc_ingest_batches_total',
    help: 'Ingest batches applied by this process, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly queueDirectory: QueueDirectoryService,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'xsc_' });
  }

  onApplicationBootstrap(): void {
    const queues = this.queueDirectory.all();
    const pools = this.pools();
    new Gauge({
      name: 'xsc_queue_jobs',
      help: 'Jobs per queue and state, read from Redis (the same in every process)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const counts = await Promise.all(queues.map((q) => q.getJobCounts()));
        this.reset();
        queues.forEach((q, i) => {
          for (const state of JOB_STATES) this.set({ queue: q.name, state }, counts[i][state] ?? 0);
        });
      },
    });
    new Gauge({
      name: 'xsc_db_pool_connections',
      help: 'Connections of the plain pg pools of this process: total, idle, and clients waiting for one',
      labelNames: ['pool', 'state'],
      registers: [this.registry],
      collect() {
        for (const [name, pool] of pools) {
          this.set({ pool: name, state: 'total' }, pool.totalCount);
          this.set({ pool: name, state: 'idle' }, pool.idleCount);
          this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
        }
      },
    });
    for (const queue of this.queueDirectory.registered()) {
      queue.on('completed', (job: Job) => this.jobFinished(queue.name, job, 'completed'));
      queue.on('failed', (job: Job) => this.jobFinished(queue.name, job, 'failed'));
    }
  }

  /** The label for a GraphQL operation name: bounded in length, charset and number. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    const clean = name.slice(0, 64).replace(/[^A-Za-z0-9_]/g, '_');
    if (this.operationNames.has(clean)) return clean;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(clean);
    return clean;
  }

  /** Counts what one ingest batch did (called once its transaction committed). */
  batchApplied(kind: string, result: { created: number; updated: number; rejected: number }): void {
    const k = kind.toLowerCase();
    this.ingestBatches.inc({ kind: k });
    this.ingested.inc({ kind: k, result: 'created' }, result.created);
    this.ingested.inc({ kind: k, result: 'updated' }, result.updated);
    this.ingested.inc({ kind: k, result: 'rejected' }, result.rejected);
  }

  private jobFinished(queue: string, job: Job, outcome: 'completed' | 'failed'): void {
    if (!job?.processedOn) return;
    const ms = (job.finishedOn ?? Date.now()) - job.processedOn;
    this.jobDuration.observe({ queue, outcome }, Math.max(0, ms) / 1000);
  }

  private pools(): [string, pg.Pool][] {
    const found: [string, pg.Pool][] = [];
    for (const i of new Set(this.instances())) {
      if (i instanceof SqlPool) found.push(['sql', i.pool]);
      if (i instanceof IngestDb) found.push(['ingest', i.pool], ['ingest_uploads', i.uploads]);
    }
    return found;
  }

  private instances(): unknown[] {
    return this.discovery.getProviders().map((w) => w.instance as unknown).filter(Boolean);
  }
}
