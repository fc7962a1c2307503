import { Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { type AuthUser, CurrentUser, RequestActor, Roles } from '../auth/auth.decorators';
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
  async list(
    @Query() query: Record<string, string | undefined>,
    @CurrentUser() user: AuthUser,
  ): Promise<object> {
    const page = Number.parseInt(query.page ?? '1', 10) || 1;
    const [result, files, warning] = await Promise.all([
      this.outbox.search({ state: query.state, kind: query.kind, q: query.q, page, pageSize: PAGE_SIZE }),
      this.files.list(100),
      // Filtered to one warning's failed messages (searched by its code): they can be re-sent at once.
      query.state === 'FAILED' && query.q?.trim()
        ? this.outbox.failedOfWarning({ code: query.q.trim() })
        : null,
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
      bulkResend: warning && warning.failed > 0 && user.roles.includes('DUTY_OFFICER') ? warning : null,
      flash:
        query.msg === 'requeued-failed' && /^\d+$/.test(query.n ?? '') ? `已重新排队 ${query.n} 条` : null,
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

  /** 重新发送本预警全部失败消息: the same one action as on the warning page, back to its messages. */
  @Post('alerts/:id/requeue-failed')
  @Roles('DUTY_OFFICER')
  async requeueFailed(
    @Param('id') id: string,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const { requeued } = await this.outbox.requeueFailedForAlert(id, actor);
    const warning = await this.outbox.failedOfWarning({ id });
    const params = new URLSearchParams({
      q: warning?.code ?? '',
      msg: 'requeued-failed',
      n: String(requeued),
    });
    res.redirect(303, `/outbox?${params.toString()}`);
  }

  @Post(':id/requeue')
  @Roles('DUTY_OFFICER')
  async requeue(@Param('id') id: string, @RequestActor() actor: Actor, @Res() res: Response): Promise<void> {
    await this.outbox.requeue(id, actor);
    res.redirect(303, `/outbox/${id}?msg=requeued`);
  }
}
