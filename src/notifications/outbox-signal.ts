import { Injectable } from '@nestjs/common';

/**
 * In-process nudge: "messages were just queued". The dispatch job listens and starts at once instead of
 * waiting for its next tick; the sending still happens in the job, never in the request that queued them.
 */
@Injectable()
export class OutboxSignal {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.listeners) setImmediate(listener);
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
