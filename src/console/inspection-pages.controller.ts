/// <reference types="multer" />
import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Res,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import {
  type AuthedRequest,
  type AuthUser,
  CurrentUser,
  OpenToCounties,
  RequestActor,
  Roles,
  SignedIn,
} from '../auth/auth.decorators';
import { countyScopeOf } from '../auth/county-scope';
import { Clock } from '../common/clock/clock';
import { shanghaiIso, shanghaiLocalInput } from '../common/time';
import {
  CloseRectificationDto,
  CreateInspectionDto,
  DecideReviewDto,
  DrawPlanDto,
} from '../inspections/dto/inspection.dto';
import { GradeReviewsService } from '../inspections/grade-reviews.service';
import { InspectionPlansService } from '../inspections/inspection-plans.service';
import {
  INSPECTION_RESULT_NAMES,
  INSPECTION_RESULTS,
  inspectionRefusal,
  inspectorOf,
  PHOTOS_PER_REQUEST,
} from '../inspections/inspection.rules';
import { PHOTO_UPLOAD } from '../inspections/inspections.controller';
import { InspectionsService } from '../inspections/inspections.service';
import { ConsolePages } from './console-page.decorator';
import { type FormBody, formErrors, many, one, validated } from './console-forms';

/** Inspectors typed one a line, or separated by commas. */
function inspectorsOf(body: FormBody): string[] {
  return many(body, 'inspectors').flatMap((v) => v.split(/[\n,,、]+/));
}

/**
 * 现场检查 pages (issue 17): the draw of a warning's inspection plan (its card is on the warning page), the inspection
 * form of an order with its photos, closing a rectification, and the grade-review list (an administrator decides).
 * A county officer opens the form, records and closes for their counties' orders (another county's is not found)
 * and reads their counties' grade reviews; as in the API.
 */
@ConsolePages()
@Controller()
export class InspectionPagesController {
  constructor(
    private readonly plans: InspectionPlansService,
    private readonly inspections: InspectionsService,
    private readonly reviews: GradeReviewsService,
    private readonly clock: Clock,
  ) {}

  @Post('alerts/:id/inspection-plan/draw')
  @Roles('DUTY_OFFICER', 'COMMANDER')
  async draw(
    @Param('id') id: string,
    @Body() body: FormBody,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const plain = {
      size: one(body, 'size') ?? '',
      ...(one(body, 'seed') ? { seed: one(body, 'seed') } : {}),
    };
    await this.plans.draw(id, validated(DrawPlanDto, plain), actor);
    res.redirect(303, `/alerts/${id}?msg=plan-drawn#inspection-plan`);
  }

  @Get('orders/:id/inspections')
  @SignedIn()
  @OpenToCounties()
  async page(@Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.render(res, id, 200, { inspectedAt: shanghaiLocalInput(this.clock.now()) });
  }

  /** One multipart form: the record and its photos (the CSRF token in the query string, as for every upload). */
  @Post('orders/:id/inspections')
  @Roles('DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER')
  @UseInterceptors(FilesInterceptor('photos', PHOTOS_PER_REQUEST, PHOTO_UPLOAD))
  async record(
    @Param('id') id: string,
    @Body() body: FormBody,
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const photos = (files ?? []).filter((f) => f.size > 0 || f.originalname);
    const required = one(body, 'rectificationRequired') === 'on';
    const plain = {
      inspectedAt: shanghaiIso(one(body, 'inspectedAt')) ?? '',
      inspectors: inspectorsOf(body),
      findings: one(body, 'findings') ?? '',
      result: one(body, 'result') ?? '',
      ...(required
        ? {
            rectification: {
              required: true,
              ...(one(body, 'rectificationDeadline')
                ? { deadline: shanghaiIso(one(body, 'rectificationDeadline')) }
                : {}),
            },
          }
        : {}),
    };
    try {
      const dto = validated(CreateInspectionDto, plain);
      const who = inspectorOf(user);
      const saved = await this.inspections.record(id, dto, who, actor);
      if (photos.length) {
        try {
          await this.inspections.addPhotos(saved.id, photos, who, actor);
        } catch (e) {
          // The record stands; the photos are refused on their own, with the reason, on the same page.
          const errors = formErrors(e, () => 'photos');
          await this.render(
            res,
            id,
            errors.status,
            { inspectedAt: shanghaiLocalInput(this.clock.now()) },
            errors,
            {
              savedWithoutPhotos: true,
            },
          );
          return;
        }
      }
      res.redirect(303, `/orders/${id}/inspections?msg=recorded#inspection-${saved.id}`);
    } catch (e) {
      const errors = formErrors(e, (field) =>
        field.startsWith('rectification.') ? 'rectificationDeadline' : field.split(/[.[]/)[0],
      );
      await this.render(res, id, errors.status, body, errors);
    }
  }

  @Post('inspections/:id/rectification/close')
  @Roles('DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER')
  async close(
    @Param('id') id: string,
    @Body() body: FormBody,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const who = inspectorOf(user);
    const inspection = await this.inspections.get(id, who.scope);
    try {
      const dto = validated(CloseRectificationDto, {
        closedAt: shanghaiIso(one(body, 'closedAt')) ?? '',
        note: one(body, 'note') ?? '',
      });
      await this.inspections.closeRectification(id, dto, who, actor);
      res.redirect(303, `/orders/${inspection.orderId}/inspections?msg=closed#inspection-${id}`);
    } catch (e) {
      const errors = formErrors(e);
      await this.render(
        res,
        inspection.orderId,
        errors.status,
        { inspectedAt: shanghaiLocalInput(this.clock.now()) },
        undefined,
        { closeErrors: { [id]: errors } },
      );
    }
  }

  @Get('grade-reviews')
  @SignedIn()
  @OpenToCounties()
  async reviewList(@Res() res: Response, @Query('msg') msg?: string): Promise<void> {
    await this.renderReviews(res, 200, msg === 'decided' ? '复核决定已记录。' : null);
  }

  @Post('grade-reviews/:id/decide')
  @Roles('ADMIN')
  async decide(
    @Param('id') id: string,
    @Body() body: FormBody,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const decision = one(body, 'decision') ?? '';
      const dto = validated(DecideReviewDto, {
        decision,
        ...(decision === 'DOWNGRADE' && one(body, 'newGrade') ? { newGrade: one(body, 'newGrade') } : {}),
        reason: one(body, 'reason') ?? '',
      });
      await this.reviews.decide(id, dto, actor);
      res.redirect(303, '/grade-reviews?msg=decided');
    } catch (e) {
      const errors = formErrors(e);
      await this.renderReviews(res, errors.status, null, { [id]: { errors, values: body } });
    }
  }

  private async renderReviews(
    res: Response,
    status: number,
    flash: string | null,
    failed: Record<string, { errors: ReturnType<typeof formErrors>; values: FormBody }> = {},
  ): Promise<void> {
    const user = (res.req as AuthedRequest).user!;
    const reviews = await this.reviews.list({}, countyScopeOf(user));
    res.status(status).render('pages/grade-reviews', {
      title: '绩效分级复核',
      flash,
      canDecide: user.roles.includes('ADMIN'),
      pending: reviews
        .filter((r) => r.state === 'PENDING')
        .map((r) => ({ ...r, failed: failed[r.id] ?? null })),
      decided: reviews.filter((r) => r.state !== 'PENDING'),
    });
  }

  private async render(
    res: Response,
    id: string,
    status: number,
    values: FormBody,
    errors?: ReturnType<typeof formErrors>,
    extra: {
      savedWithoutPhotos?: boolean;
      closeErrors?: Record<string, ReturnType<typeof formErrors>>;
    } = {},
  ): Promise<void> {
    const user = (res.req as AuthedRequest).user!;
    const who = inspectorOf(user);
    // Another county's order is not found for a county officer (404), as in the API.
    const [order, history] = await Promise.all([
      this.inspections.order(id, who.scope),
      this.inspections.listForOrder(id, who.scope),
    ]);
    const msg = (res.req as AuthedRequest).query.msg;
    const canRecord = inspectionRefusal(who, order) === null;
    const now = shanghaiLocalInput(this.clock.now());
    res.status(status).render('pages/order-inspections', {
      title: `现场检查 ${order.enterpriseName}`,
      order,
      history: history.map((h) => ({
        ...h,
        canClose: canRecord && h.rectification.required && !h.rectification.closedAt,
        closeErrors: extra.closeErrors?.[h.id] ?? null,
      })),
      values: {
        ...values,
        inspectors: Array.isArray(values.inspectors) ? values.inspectors.join('\n') : values.inspectors,
      },
      errors,
      savedWithoutPhotos: extra.savedWithoutPhotos ?? false,
      flash: msg === 'recorded' ? '检查记录已保存。' : msg === 'closed' ? '整改已销号。' : null,
      now,
      canRecord,
      results: INSPECTION_RESULTS.map((code) => ({
        code,
        name: INSPECTION_RESULT_NAMES[code],
        selected: one(values, 'result') === code,
      })),
      rectificationChecked: one(values, 'rectificationRequired') === 'on',
    });
  }
}

/** Who may draw a warning's inspection plan (the API's roles), for the warning page's card; never a county officer. */
export const PLAN_DRAWERS: readonly string[] = ['DUTY_OFFICER', 'COMMANDER'];
