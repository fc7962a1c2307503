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
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ApiFileResponse } from '../common/http/api-docs.decorators';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import {
  type AuthUser,
  CallerScope,
  CurrentUser,
  OpenToCounties,
  RequestActor,
  Roles,
  SignedIn,
} from '../auth/auth.decorators';
import type { CountyScope } from '../auth/county-scope';
import {
  CloseRectificationDto,
  CreateInspectionDto,
  DecideReviewDto,
  DrawPlanDto,
  GradeReviewQueryDto,
} from './dto/inspection.dto';
import { type GradeReviewView, GradeReviewsService } from './grade-reviews.service';
import { type PlanView, InspectionPlansService } from './inspection-plans.service';
import { inspectorOf, PHOTO_MAX_BYTES, PHOTOS_PER_REQUEST } from './inspection.rules';
import { type InspectionView, InspectionsService } from './inspections.service';

/** The multer limits of a photo upload: 10 MB a photo (413 beyond), ten a request. */
export const PHOTO_UPLOAD = { limits: { fileSize: PHOTO_MAX_BYTES, files: PHOTOS_PER_REQUEST, fields: 10 } };

/**
 * 现场检查: the inspection plan of a warning, inspections of orders with photos and rectification, grade reviews.
 * A county officer (县级分局) inspects the orders of their counties: every route but the draw and the decision is
 * open to them, scoped in the services' SQL (another county's order or inspection is not found, 404).
 */
@ApiTags('inspections')
@Controller('api')
export class InspectionsController {
  constructor(
    private readonly plans: InspectionPlansService,
    private readonly inspections: InspectionsService,
    private readonly reviews: GradeReviewsService,
  ) {}

  /**
   * Draws the warning's inspection plan: `size` of its enterprises with orders in force, weighted (grades C and D,
   * non-responders, repeat offenders, discrepancies), reproducible for a `seed`. Audited as `inspection.plan-drawn`.
   */
  @Post('alerts/:id/inspection-plan')
  @Roles('DUTY_OFFICER', 'COMMANDER')
  @ApiOperation({ summary: '抽取预警的现场检查名单' })
  @ApiErrors(401, 403, 404, 422)
  @ApiCreatedResponse({ description: 'the plan with its picks and their reasons' })
  draw(@Param('id') id: string, @Body() body: DrawPlanDto, @RequestActor() actor: Actor): Promise<PlanView> {
    return this.plans.draw(id, body, actor);
  }

  /** The warning's latest plan, or null when none was drawn; a county officer gets only the picks in their counties. */
  @Get('alerts/:id/inspection-plan')
  @SignedIn()
  @OpenToCounties()
  @ApiOperation({ summary: '预警最近一次现场检查名单' })
  @ApiErrors(401, 403, 404)
  @ApiOkResponse({ description: '名单;尚未抽取时为 null' })
  latest(@Param('id') id: string, @CallerScope() scope: CountyScope): Promise<PlanView | null> {
    return this.plans.latest(id, undefined, scope);
  }

  /** Records an inspection of the order; a violation during the warning opens a grade review. */
  @Post('orders/:id/inspections')
  @Roles('DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER')
  @ApiOperation({ summary: '记录指令的现场检查' })
  @ApiErrors(401, 403, 404, 422)
  @ApiCreatedResponse({ description: 'the inspection' })
  record(
    @Param('id') id: string,
    @Body() body: CreateInspectionDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<InspectionView> {
    return this.inspections.record(id, body, inspectorOf(user), actor);
  }

  /** The order's inspections, newest first. */
  @Get('orders/:id/inspections')
  @SignedIn()
  @OpenToCounties()
  @ApiOperation({ summary: '指令的现场检查记录' })
  @ApiErrors(401, 403, 404)
  @ApiOkResponse({ description: '检查记录,新者在前' })
  listForOrder(@Param('id') id: string, @CallerScope() scope: CountyScope): Promise<InspectionView[]> {
    return this.inspections.listForOrder(id, scope);
  }

  @Get('inspections/:id')
  @SignedIn()
  @OpenToCounties()
  @ApiOperation({ summary: '现场检查详情' })
  @ApiErrors(401, 403, 404)
  @ApiOkResponse({ description: '检查记录' })
  get(@Param('id') id: string, @CallerScope() scope: CountyScope): Promise<InspectionView> {
    return this.inspections.get(id, scope);
  }

  /** Adds photos (multipart field `photos`, JPG/PNG/WebP by their bytes, ≤ 10 MB each, up to ten at a time). */
  @Post('inspections/:id/photos')
  @Roles('DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER')
  @ApiOperation({ summary: '上传现场检查照片' })
  @ApiErrors(401, 403, 404, 413, 422)
  @ApiOkResponse({ description: '检查记录(含照片)' })
  @ApiConsumes('multipart/form-data')
  @ApiHeader({
    name: 'X-Requested-With',
    required: true,
    description: 'any non-empty value (RequestOriginGuard)',
  })
  @ApiBody({
    schema: {
      type: 'object',
      properties: { photos: { type: 'array', items: { type: 'string', format: 'binary' } } },
    },
  })
  @UseInterceptors(FilesInterceptor('photos', PHOTOS_PER_REQUEST, PHOTO_UPLOAD))
  addPhotos(
    @Param('id') id: string,
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<InspectionView> {
    return this.inspections.addPhotos(id, files ?? [], inspectorOf(user), actor);
  }

  /** One photo, to staff only (a county officer: of their counties' inspections). */
  @Get('inspections/:id/photos/:n')
  @SignedIn()
  @OpenToCounties()
  @ApiOperation({ summary: '现场检查照片' })
  @ApiErrors(401, 403, 404)
  @ApiFileResponse('照片(JPG、PNG 或 WebP)', 'jpg', 'png', 'webp')
  async photo(
    @Param('id') id: string,
    @Param('n') n: string,
    @CallerScope() scope: CountyScope,
    @Res() res: Response,
  ): Promise<void> {
    const photo = await this.inspections.photo(id, n, scope);
    res.setHeader('Content-Type', photo.mediaType);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('Content-Disposition', 'inline');
    res.end(photo.bytes);
  }

  /** Closes (销号) the inspection's rectification. */
  @Post('inspections/:id/rectification/close')
  @Roles('DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER')
  @ApiOperation({ summary: '整改销号' })
  @ApiErrors(401, 403, 404, 409, 422)
  @ApiOkResponse({ description: 'the inspection' })
  close(
    @Param('id') id: string,
    @Body() body: CloseRectificationDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<InspectionView> {
    return this.inspections.closeRectification(id, body, inspectorOf(user), actor);
  }

  /** The grade-review list: pending first; a county officer reads their counties' reviews only. */
  @Get('grade-reviews')
  @SignedIn()
  @OpenToCounties()
  @ApiOperation({ summary: '绩效分级复核名单' })
  @ApiErrors(401, 403, 422)
  @ApiOkResponse({ description: '复核名单,待决定者在前' })
  listReviews(
    @Query() query: GradeReviewQueryDto,
    @CallerScope() scope: CountyScope,
  ): Promise<GradeReviewView[]> {
    return this.reviews.list(query, scope);
  }

  /** An administrator's decision: DOWNGRADE (to `newGrade`, lower than now) or KEEP, with a reason. */
  @Post('grade-reviews/:id/decide')
  @Roles('ADMIN')
  @ApiOperation({ summary: '绩效分级复核决定' })
  @ApiErrors(401, 403, 404, 409, 422)
  @ApiOkResponse({ description: 'the review, decided' })
  decide(
    @Param('id') id: string,
    @Body() body: DecideReviewDto,
    @RequestActor() actor: Actor,
  ): Promise<GradeReviewView> {
    return this.reviews.decide(id, body, actor);
  }
}
