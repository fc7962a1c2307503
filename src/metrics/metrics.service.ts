import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';

/** What the pg pool under TypeORM exposes (node-postgres Pool). */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * The service's Prometheus metrics, in one registry of its own (each app instance its own, so tests that boot
 * several apps do not share counters). Counters and histograms are fed where things happen; the outbox and pool
 * gauges are read when scraped, so a scrape costs one grouped query.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'haze_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly mails = new Counter({
    name: 'haze_mail_messages_total',
    help: 'Outbox messages handed to the mail transport, by outcome (sent, retrying, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: 'haze_job_runs_total',
    help: 'Scheduled job runs by job and outcome (ran, busy: the lock was held elsewhere, failed)',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'haze_job_duration_seconds',
    help: 'Duration of scheduled job runs that took the lock',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });

  constructor(dataSource: DataSource, clock: Clock) {
    collectDefaultMetrics({ register: this.registry, prefix: 'haze_' });
    // Every outcome from the start, so a rate over a fresh instance is 0 rather than no data.
    for (const outcome of ['sent', 'retrying', 'failed']) this.mails.inc({ outcome }, 0);
    new Gauge({
      name: 'haze_outbox_messages',
      help: 'Outbox messages by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await dataSource.query<Array<{ state: string; n: string }>>(
          'SELECT state, count(*) AS n FROM outbox_message GROUP BY state',
        );
        this.reset();
        for (const state of ['QUEUED', 'SENDING', 'RETRYING', 'SENT', 'FAILED']) this.set({ state }, 0);
        for (const r of rows) this.set({ state: r.state }, Number(r.n));
      },
    });
    new Gauge({
      name: 'haze_outbox_dispatch_lag_seconds',
      help: 'How long the oldest due message has waited past its send time (0 when none is due)',
      registers: [this.registry],
      async collect() {
        const [row] = await dataSource.query<Array<{ due: Date | null }>>(
          `SELECT min(next_attempt_at) AS due FROM outbox_message
           WHERE state IN ('QUEUED', 'RETRYING') AND next_attempt_at <= $1`,
          [clock.now()],
        );
        this.set(row?.due ? Math.max(0, (clock.now().getTime() - new Date(row.due).getTime()) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'haze_db_pool_connections',
      help: 'Database pool connections: total, idle, and callers waiting for one',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  /** Times a guarded job run: `job:outbox-dispatch` is reported as outbox-dispatch. */
  async timeJob<T>(
    lockName: string,
    run: () => Promise<{ acquired: true; result: T } | { acquired: false }>,
  ): Promise<{ acquired: true; result: T } | { acquired: false }> {
    const job = lockName.replace(/^job:/, '');
    const end = this.jobDuration.startTimer({ job });
    try {
      const r = await run();
      if (r.acquired) end();
      this.jobRuns.inc({ job, outcome: r.acquired ? 'ran' : 'busy' });
      return r;
    } catch (e) {
      end();
      this.jobRuns.inc({ job, outcome: 'failed' });
      throw e;
    }
  }
}
