import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Worker } from 'node:worker_threads';
import { startWorkerThread } from '../common/process/worker-thread';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { NoticeSource } from '../documents/notice-document';
import type { NoticeRow } from './notice.composer';
import { type NoticeRenderContext, type RenderOutcome, renderNotices } from './notice-render';
import { TemplateRenderer } from './template-renderer.service';

interface RenderWorker {
  worker: Worker;
  pending: Map<number, { resolve: (o: RenderOutcome[]) => void; reject: (e: Error) => void }>;
}

/**
 * Renders notices on MAIL_RENDER_WORKERS worker threads (started at the first use, taking turns), or in the calling
 * thread with 0. A worker that dies fails only the renders it held, which are then done here; the next render starts
 * a new one. Workers never keep a stopping process alive, and stop with the module.
 */
@Injectable()
export class NoticeRenderPool implements OnModuleDestroy {
  private readonly logger = new Logger(NoticeRenderPool.name);
  private readonly workers: Array<RenderWorker | null>;
  private next = 0;
  private ids = 0;

  constructor(
    private readonly renderer: TemplateRenderer,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.workers = Array.from({ length: config.mail.renderWorkers }, () => null);
  }

  async render(
    rows: NoticeRow[],
    sources: Array<NoticeSource | null>,
    ctx: NoticeRenderContext,
  ): Promise<RenderOutcome[]> {
    if (this.workers.length === 0) return renderNotices(this.renderer, rows, sources, ctx);
    try {
      return await this.inWorker(rows, sources, ctx);
    } catch (e) {
      this.logger.warn(
        `render worker failed (${e instanceof Error ? e.message : String(e)}); rendering here`,
      );
      return renderNotices(this.renderer, rows, sources, ctx);
    }
  }

  private inWorker(
    rows: NoticeRow[],
    sources: Array<NoticeSource | null>,
    ctx: NoticeRenderContext,
  ): Promise<RenderOutcome[]> {
    const slot = this.next;
    this.next = (this.next + 1) % this.workers.length;
    const w = this.workers[slot] ?? this.start(slot);
    const id = ++this.ids;
    return new Promise((resolve, reject) => {
      w.pending.set(id, { resolve, reject });
      try {
        w.worker.postMessage({ id, rows, sources, ctx });
      } catch (e) {
        // Something in the rows that cannot be copied to a thread: this render is done here, nothing left waiting.
        w.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  private start(slot: number): RenderWorker {
    const w: RenderWorker = {
      worker: startWorkerThread(__filename, 'notice-render.worker', {}),
      pending: new Map(),
    };
    w.worker.unref();
    w.worker.on('message', (m: { id: number; outcomes: RenderOutcome[] }) => {
      w.pending.get(m.id)?.resolve(m.outcomes);
      w.pending.delete(m.id);
    });
    const fail = (error: Error) => {
      if (this.workers[slot] === w) this.workers[slot] = null;
      for (const p of w.pending.values()) p.reject(error);
      w.pending.clear();
    };
    w.worker.on('error', fail);
    w.worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    this.workers[slot] = w;
    return w;
  }

  async onModuleDestroy(): Promise<void> {
    const running = this.workers.filter((w): w is RenderWorker => w !== null);
    this.workers.fill(null);
    await Promise.all(running.map((w) => w.worker.terminate()));
  }
}
