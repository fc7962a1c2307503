import { Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles } from '../auth/auth.decorators';
import { OutboxFilesService } from '../notifications/outbox-files.service';
import { OutboxService } from '../notifications/outbox.service';
import { MESSAGE_STATES } from '../notifications/outbox.rules';
import { ConsolePages } from './console-page.decorator';
import { maskAckLinks, STAFF_PREVIEW_NOTE, staffMailPreview } from './mail-preview.rules';

const READERS = ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN'] as const;

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
  async list(@Query('state') state?: string): Promise<object> {
    const chosen = (MESSAGE_STATES as readonly string[]).includes(state ?? '') ? state : undefined;
    const [messages, files] = await Promise.all([this.outbox.list({ state: chosen }), this.files.list(100)]);
    return {
      title: '发件箱',
      messages,
      files,
      fileMode: this.files.enabled,
      states: MESSAGE_STATES,
      state: chosen ?? '',
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
      history,
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
