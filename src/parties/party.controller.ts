import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { actorOf, type AuthedRequest, Public } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { statusOf } from '../common/errors/error-codes';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PartyReceiptService } from './party-receipt.service';

/**
 * A county bureau's or department's pages behind its signed link (no account), like an enterprise's: its notice,
 * the receipt form (签收人, 联系电话) and, once confirmed, what was recorded. A wrong field keeps the page with the
 * error next to it (422); a staff session may look but never confirm in the party's name.
 */
@ApiExcludeController()
@Controller('party')
@Public()
export class PartyController {
  constructor(
    private readonly receipts: PartyReceiptService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':token')
  async page(
    @Param('token') token: string,
    @Query('done') done: string | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.render(res, 200, token, { done: done ?? null, staffPreview: Boolean(req.user) });
    } catch (e) {
      this.fail(res, e);
    }
  }

  @Post(':token/receipt')
  async receipt(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    try {
      if (req.user) await this.receipts.refuseStaff(token, actorOf(req));
      const { changed } = await this.receipts.receipt(token, body ?? {}, actorOf(req));
      res.redirect(303, `/party/${token}?done=${changed ? 'receipt' : 'already'}`);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'VALIDATION_FAILED') {
        const errors = Object.fromEntries((e.fields ?? []).map((f) => [f.field, f.message]));
        const value = (k: string) => {
          const v = body?.[k];
          return typeof v === 'string' ? v.slice(0, 100) : '';
        };
        try {
          await this.render(res, 422, token, {
            done: null,
            staffPreview: false,
            errors,
            message: e.message,
            values: { signerName: value('signerName'), signerPhone: value('signerPhone') },
          });
        } catch (again) {
          this.fail(res, again);
        }
        return;
      }
      this.fail(res, e);
    }
  }

  /** A county notice's list of its enterprises' orders (its own signed link, which opens nothing else). */
  @Get(':token/orders.xlsx')
  async orders(@Param('token') token: string, @Res() res: Response): Promise<void> {
    try {
      const { filename, buffer } = await this.receipts.ordersXlsx(token);
      res
        .status(200)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .set('Content-Disposition', `attachment; filename="${filename}"`)
        .set('Cache-Control', 'no-store')
        .send(buffer);
    } catch (e) {
      this.fail(res, e);
    }
  }

  private async render(
    res: Response,
    status: number,
    token: string,
    extra: Record<string, unknown>,
  ): Promise<void> {
    const notice = await this.receipts.open(token);
    res.status(status).render('pages/party', {
      title: notice.title,
      token,
      notice,
      errors: {},
      message: null,
      values: { signerName: '', signerPhone: '' },
      dutyPhone: this.config.dutyOffice.phone,
      dutyName: this.config.dutyOffice.name,
      ...extra,
    });
  }

  private fail(res: Response, e: unknown): void {
    if (!(e instanceof DomainError)) throw e;
    res.status(statusOf(e.code)).render('pages/ack-error', {
      title: '无法打开通知',
      message: e.message,
      code: e.code,
      fields: e.fields ?? [],
    });
  }
}
