import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The tables a bulk write analyses afterwards: those `analyze_tables` (migration 1795900002700) accepts. */
export const ANALYZED_TABLES = [
  'enterprise',
  'plan_version',
  'plan_measure',
  'plan_start_reduction',
  'reduction_order',
  'outbox_message',
] as const;
export type AnalyzedTable = (typeof ANALYZED_TABLES)[number];

/**
 * Fresh planner statistics after a bulk write. Until autovacuum analyses a table (a minute or so after the change;
 * never where it is off) the planner still sees it as it was: after an import of 100,000 enterprises or a city-wide
 * approval it plans the next reads for a handful of rows, nested loops over 100,000 (the size series' reads after
 * the XLSX import ran 0.3-1 s slower than on the same data analysed). The writer calls `analyzeSoon` once its
 * transaction has committed; the tables are analysed in the background, after the request has answered, in one
 * statement for several writes' tables. ANALYZE reads a bounded sample (30,000 rows at the default statistics
 * target) whatever the table's size. A failure is logged and nothing else: autovacuum's statistics come later.
 */
@Injectable()
export class TableStatistics implements OnApplicationShutdown {
  private readonly logger = new Logger(TableStatistics.name);
  private readonly pending = new Set<AnalyzedTable>();
  private running: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  analyzeSoon(tables: readonly AnalyzedTable[]): void {
    for (const t of tables) this.pending.add(t);
    if (this.running || this.pending.size === 0) return;
    this.running = this.run().finally(() => {
      this.running = null;
      this.analyzeSoon([]); // tables added while this ran
    });
  }

  /** Resolves once nothing is pending or running (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  private async run(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // the caller answers first
    const tables = [...this.pending];
    this.pending.clear();
    try {
      // The schema owner's function (migration 1795900002700): the service's login may not analyse on its own.
      await this.dataSource.query('SELECT analyze_tables($1::text[])', [tables]);
    } catch (e) {
      this.logger.warn(`ANALYZE ${tables.join(', ')} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
