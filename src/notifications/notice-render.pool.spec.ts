import type { AppConfig } from '../config/app-config';
import type { NoticeRow } from './notice.composer';
import { type NoticeRenderContext, renderNotices } from './notice-render';
import { NoticeRenderPool } from './notice-render.pool';
import { TemplateRenderer } from './template-renderer.service';

const ctx: NoticeRenderContext = {
  appUrl: 'http://localhost:3000',
  sessionSecret: 'a-session-secret-that-is-long-enough',
  ackLinkDays: 14,
  dutyOffice: { name: '吕梁市重污染天气应急指挥部办公室', phone: '0358-5550000', email: 'duty@localhost' },
  now: new Date('2026-12-03T01:00:00Z'),
};

/** The audit digest: a message whose context is all it renders from (no order, no source). */
function anchorRow(entryId: string, context?: Record<string, unknown>): NoticeRow {
  const anchor = {
    entryId,
    entryCount: 42,
    hash: 'ab'.repeat(32),
    keyId: 'key-1',
    anchoredAt: '2026-12-03T00:10:00.000Z',
  };
  return {
    message_id: `00000000-0000-4000-8000-${entryId.padStart(12, '0')}`,
    kind: 'AUDIT_ANCHOR',
    recipients: ['audit@localhost'],
    context: context ?? { anchor, reasonName: '每日锚定', anchorJson: JSON.stringify(anchor) },
  } as unknown as NoticeRow;
}

const poolWith = (renderWorkers: number) => {
  const renderer = new TemplateRenderer();
  const pool = new NoticeRenderPool(renderer, { mail: { renderWorkers } } as AppConfig);
  return { pool, spy: jest.spyOn(renderer, 'render') };
};

describe('NoticeRenderPool', () => {
  const pools: NoticeRenderPool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.onModuleDestroy()));
  });

  it('renders in a worker thread exactly what the sending thread renders, and not in the sending thread', async () => {
    const { pool, spy } = poolWith(1);
    pools.push(pool);
    const rows = [anchorRow('1'), anchorRow('2')];
    const outcomes = await pool.render(rows, [null, null], ctx);
    expect(spy).not.toHaveBeenCalled();
    expect(outcomes).toEqual(renderNotices(new TemplateRenderer(), rows, [null, null], ctx));
    expect(outcomes[0]).toEqual({ mail: expect.objectContaining({ subject: expect.stringContaining('1') }) });
  });

  it('a notice that cannot be rendered fails alone, with its error', async () => {
    const { pool } = poolWith(1);
    pools.push(pool);
    // Strict templates: a digest without its anchor cannot be rendered.
    const outcomes = await pool.render([anchorRow('3'), anchorRow('4', {})], [null, null], ctx);
    expect(outcomes[0]).toHaveProperty('mail');
    expect(outcomes[1]).toEqual({ error: expect.stringContaining('not defined') });
  });

  it('a worker that dies: the renders it held are done in the sending thread, the next render starts a new worker', async () => {
    const { pool, spy } = poolWith(1);
    pools.push(pool);
    await pool.render([anchorRow('5')], [null], ctx);
    const held = pool.render([anchorRow('6')], [null], ctx);
    const workers = (pool as unknown as { workers: Array<{ worker: { terminate(): Promise<number> } }> })
      .workers;
    await workers[0].worker.terminate();
    expect(await held).toEqual([{ mail: expect.objectContaining({ subject: expect.any(String) }) }]);
    const renderedHere = spy.mock.calls.length;
    expect(await pool.render([anchorRow('7')], [null], ctx)).toHaveLength(1);
    expect(spy.mock.calls.length).toBe(renderedHere);
  });

  it('rows that cannot be copied to the worker are rendered in the sending thread, nothing left waiting', async () => {
    const { pool, spy } = poolWith(1);
    pools.push(pool);
    const row = anchorRow('9');
    // A function cannot be structured-cloned: postMessage refuses the chunk.
    (row.context as Record<string, unknown>).unclonable = () => 'x';
    const outcomes = await pool.render([row], [null], ctx);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(outcomes[0]).toHaveProperty('mail');
    // Nothing is left waiting on the worker for it.
    const workers = (pool as unknown as { workers: Array<{ pending: Map<number, unknown> }> }).workers;
    expect(workers[0].pending.size).toBe(0);
  });

  it('with MAIL_RENDER_WORKERS=0 renders in the calling thread', async () => {
    const { pool, spy } = poolWith(0);
    pools.push(pool);
    const outcomes = await pool.render([anchorRow('8')], [null], ctx);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(outcomes[0]).toHaveProperty('mail');
  });
});
