import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { actorOf, type AuthedRequest, Public } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/clock/clock';
import { statusOf } from '../common/errors/error-codes';
import { shanghaiIso, shanghaiLocalInput } from '../common/time';
import { AckService } from './ack.service';

/**
 * The enterprise's pages behind its signed link (no account): zh-CN HTML, plain forms, post-redirect-get.
 * Errors (forged, expired, superseded) render an error page with the right status and change nothing.
 * A request that carries a valid console session is staff, never the enterprise: the page is a preview
 * without its forms, and a receipt or report is refused (403, recorded).
 */
@ApiExcludeController()
@Controller('ack')
@Public()
export class AckController {
  constructor(
    private readonly ack: AckService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':token')
  async page(
    @Param('token') token: string,
    @Query('action') action: string | undefined,
    @Query('done') done: string | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.render(res, 200, token, {
        staffPreview: Boolean(req.user),
        focusReport: action === 'report',
        done,
      });
    } catch (e) {
      this.fail(res, e);
    }
  }

  /** The enterprise's page: the order, what was recorded, and the forms still to fill (with their errors). */
  private async render(
    res: Response,
    status: number,
    token: string,
    state: {
      staffPreview?: boolean;
      focusReport?: boolean;
      done?: string;
      form?: 'receipt' | 'report';
      values?: Record<string, unknown>;
      errors?: Record<string, string>;
    },
  ): Promise<void> {
    const order = await this.ack.open(token);
    res.status(status).render('pages/ack', {
      title: '减排指令',
      token,
      order,
      staffPreview: state.staffPreview ?? false,
      focusReport: state.focusReport ?? false,
      done: state.done ?? null,
      dutyOffice: this.config.dutyOffice,
      // The form that failed keeps what was typed; the other starts empty.
      receiptValues: state.form === 'receipt' ? state.values : {},
      reportValues: state.form === 'report' ? state.values : {},
      receiptErrors: state.form === 'receipt' ? state.errors : null,
      reportErrors: state.form === 'report' ? state.errors : null,
      now: shanghaiLocalInput(this.clock.now()), // the report form's default: now, on the service's clock
    });
  }

  @Post(':token/receipt')
  async receipt(
    @Param('token') token: string,
    @Body() raw: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    // A post without a body (no form fields at all) reads as an empty form.
    const body = raw ?? {};
    try {
      if (req.user) await this.ack.refuseStaff(token, 'RECEIPT', actorOf(req));
      const { changed } = await this.ack.receipt(token, body, actorOf(req));
      res.redirect(303, `/ack/${token}?done=${changed ? 'receipt' : 'already'}`);
    } catch (e) {
      await this.failForm(res, e, token, 'receipt', body);
    }
  }

  @Post(':token/report')
  async report(
    @Param('token') token: string,
    @Body() raw: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const body = raw ?? {};
    try {
      if (req.user) await this.ack.refuseStaff(token, 'REPORT', actorOf(req));
      const note = typeof body.note === 'string' ? body.note.slice(0, 2000) : '';
      const at = typeof body.measuresInPlaceAt === 'string' ? body.measuresInPlaceAt : '';
      // A datetime-local field has no zone: it is Shanghai time. ISO strings with an offset pass as they are.
      const parsed = new Date(shanghaiIso(at) ?? '');
      const { changed } = await this.ack.report(
        token,
        { note, measuresInPlaceAt: parsed, signerName: body.signerName, signerPhone: body.signerPhone },
        actorOf(req),
      );
      res.redirect(303, `/ack/${token}?done=${changed ? 'report' : 'already'}`);
    } catch (e) {
      await this.failForm(res, e, token, 'report', body);
    }
  }

  /** A refused form stays on the page, its errors beside the fields; anything else is the error page. */
  private async failForm(
    res: Response,
    e: unknown,
    token: string,
    form: 'receipt' | 'report',
    body: Record<string, unknown>,
  ): Promise<void> {
    if (!(e instanceof DomainError) || e.code !== 'VALIDATION_FAILED') return this.fail(res, e);
    const errors = Object.fromEntries((e.fields ?? []).map((f) => [f.field, f.message]));
    const values = Object.fromEntries(
      ['signerName', 'signerPhone', 'measuresInPlaceAt', 'note'].map((k) => [
        k,
        typeof body[k] === 'string' ? body[k] : '',
      ]),
    );
    try {
      await this.render(res, statusOf(e.code), token, {
        form,
        values,
        errors,
        focusReport: form === 'report',
      });
    } catch (again) {
      this.fail(res, again);
    }
  }

  private fail(res: Response, e: unknown): void {
    if (!(e instanceof DomainError)) throw e;
    res.status(statusOf(e.code)).render('pages/ack-error', {
      title: '无法打开指令',
      message: e.message,
      code: e.code,
      fields: e.fields ?? [],
    });
  }
}
