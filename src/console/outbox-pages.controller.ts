import { Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from '../auth/auth.decorators';
import { OutboxFilesService } from '../notifications/outbox-files.service';
import { OutboxService } from '../notifications/outbox.service';
import { MESSAGE_KINDS, MESSAGE_STATES } from '../notifications/outbox.rules';
import { ConsolePages } from './console-page.decorator';
import { maskAckLinks, STAFF_PREVIEW_NOTE, staffMailPreview } from './mail-preview.rules';

const READERS = ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN'] as const;

/** Messages per page of the console's outbox. */
const PAGE_SIZE = 50;

@ConsolePages()
@Controller('outbox')
export class OutboxPagesController {
  constructor(
    private readonly outbox: OutboxService,
    private readonly files: OutboxFilesService,
  ) {}

  @Get()
  @Roles(...READERS)
  @Render('pages/outbox')
  async list(@Query() query: Record<string, string | undefined>): Promise<object> {
    const page = Number.parseInt(query.page ?? '1', 10) || 1;
    const [result, files] = await Promise.all([
      this.outbox.search({ state: query.state, kind: query.kind, q: query.q, page, pageSize: PAGE_SIZE }),
      this.files.list(100),
    ]);
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const link = (p: number) => {
      const params = new URLSearchParams();
      for (const key of ['state', 'kind', 'q'] as const) if (query[key]) params.set(key, query[key]);
      params.set('page', String(p));
      return `/outbox?${params.toString()}`;
    };
    return {
      title: '发件箱',
      messages: result.items,
      total: result.total,
      page: result.page,
      pages,
      prevHref: result.page > 1 ? link(result.page - 1) : null,
      nextHref: result.page < pages ? link(result.page + 1) : null,
      files,
      fileMode: this.files.enabled,
      states: MESSAGE_STATES,
      kinds: MESSAGE_KINDS,
      state: query.state ?? '',
      kind: query.kind ?? '',
      q: query.q ?? '',
    };
  }

  @Get(':id')
  @Roles(...READERS)
  @Render('pages/outbox-message')
  async message(@Param('id') id: string, @Query('msg') msg?: string): Promise<object> {
    const [message, history, mail] = await Promise.all([
      this.outbox.get(id),
      this.outbox.history(id),
      this.files.read(id),
    ]);
    // Everyone here is staff: the notice is shown with its links dead, so no one answers in an enterprise's name.
    const preview = mail && {
      ...mail,
      html: mail.html === null ? null : staffMailPreview(mail.html),
      text: maskAckLinks(mail.text),
    };
    return {
      title: '消息详情',
      message,
      // A requeue's history line names the account that asked (`requeued … by <username>`): said in Chinese, by name.
      history: history.map((h) => {
        const requeue = /^requeued (with the warning's failed messages )?by (\S+)$/.exec(h.detail ?? '');
        return { ...h, requeuedBy: requeue?.[2] ?? null, requeuedAll: Boolean(requeue?.[1]) };
      }),
      mail: preview,
      previewNote: STAFF_PREVIEW_NOTE,
      requeued: msg === 'requeued',
    };
  }

  @Post(':id/requeue')
  @Roles('DUTY_OFFICER')
  async requeue(@Param('id') id: string, @RequestActor() actor: Actor, @Res() res: Response): Promise<void> {
    await this.outbox.requeue(id, actor);
    res.redirect(303, `/outbox/${id}?msg=requeued`);
  }
}
