import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../auth/auth.decorators';
import { isUuid } from '../common/ids';
import { DomainError } from '../common/errors/domain-error';
import { contentDisposition, noticeFileName, renderNoticePdf } from '../documents/notice-pdf';
import { NoticeSourcesService } from '../notifications/notice-sources.service';
import { ConsolePages } from './console-page.decorator';

const READERS = ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN'] as const;

/** Staff read an order's notice as the enterprise got it: the printable A4 page and the PDF (no ack links). */
@ConsolePages()
@Controller('orders')
export class NoticePagesController {
  constructor(private readonly notices: NoticeSourcesService) {}

  @Get(':id/notice')
  @Roles(...READERS)
  async page(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const doc = await this.document(id);
    res.render('pages/notice-print', { title: doc.title, doc, layout: 'print' });
  }

  @Get(':id/notice.pdf')
  @Roles(...READERS)
  async pdf(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const doc = await this.document(id);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(noticeFileName(doc)));
    renderNoticePdf(doc).pipe(res);
  }

  private async document(id: string) {
    const doc = isUuid(id) ? await this.notices.documentForOrder(id) : null;
    if (!doc) throw DomainError.notFound('指令');
    return doc;
  }
}
