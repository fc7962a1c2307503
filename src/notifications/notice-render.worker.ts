import { parentPort } from 'node:worker_threads';
import type { NoticeSource } from '../documents/notice-document';
import type { NoticeRow } from './notice.composer';
import { type NoticeRenderContext, renderNotices } from './notice-render';
import { TemplateRenderer } from './template-renderer.service';

/**
 * A render worker (worker_threads): renders the notices it is handed with the same templates and composer as the
 * dispatcher's own thread (notice-render.ts) and posts them back, so the sending thread only sends.
 */
const renderer = new TemplateRenderer();
parentPort!.on(
  'message',
  (m: { id: number; rows: NoticeRow[]; sources: Array<NoticeSource | null>; ctx: NoticeRenderContext }) =>
    parentPort!.postMessage({ id: m.id, outcomes: renderNotices(renderer, m.rows, m.sources, m.ctx) }),
);
