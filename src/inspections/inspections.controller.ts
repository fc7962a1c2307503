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
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { type AuthUser, CurrentUser, RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import {
  CloseRectificationDto,
  CreateInspectionDto,
  DecideReviewDto,
  DrawPlanDto,
  GradeReviewQueryDto,
} from './dto/inspection.dto';
import { type GradeReviewView, GradeReviewsService } from './grade-reviews.service';
import { type PlanView, InspectionPlansService } from './inspection-plans.service';
import { PHOTO_MAX_BYTES, PHOTOS_PER_REQUEST } from './inspection.rules';
import { type InspectionView, InspectionsService } from './inspections.service';

/** The multer limits of a photo upload: 10 MB a photo (413 beyond), ten a request. */
export const PHOTO_UPLOAD = { limits: { fileSize: PHOTO_MAX_BYTES, files: PHOTOS_PER_REQUEST, fields: 10 } };

/** 现场检查: the inspection plan of a warning, inspections of orders with photos and rectification, grade reviews. */
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
  @ApiCreatedResponse({ description: 'the plan with its picks and their reasons' })
  draw(@Param('id') id: string, @Body() body: DrawPlanDto, @RequestActor() actor: Actor): Promise<PlanView> {
    return this.plans.draw(id, body, actor);
  }

  /** The warning's latest plan, or null when none was drawn. */
  @Get('alerts/:id/inspection-plan')
  @SignedIn()
  latest(@Param('id') id: string): Promise<PlanView | null> {
    return this.plans.latest(id);
  }

  /** Records an inspection of the order; a violation during the warning opens a grade review. */
  @Post('orders/:id/inspections')
  @Roles('DUTY_OFFICER', 'COMMANDER')
  @ApiCreatedResponse({ description: 'the inspection' })
  record(
    @Param('id') id: string,
    @Body() body: CreateInspectionDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<InspectionView> {
    return this.inspections.record(id, body, { roles: user.roles }, actor);
  }

  /** The order's inspections, newest first. */
  @Get('orders/:id/inspections')
  @SignedIn()
  listForOrder(@Param('id') id: string): Promise<InspectionView[]> {
    return this.inspections.listForOrder(id);
  }

  @Get('inspections/:id')
  @SignedIn()
  get(@Param('id') id: string): Promise<InspectionView> {
    return this.inspections.get(id);
  }

  /** Adds photos (multipart field `photos`, JPG/PNG/WebP by their bytes, ≤ 10 MB each, up to ten at a time). */
  @Post('inspections/:id/photos')
  @Roles('DUTY_OFFICER', 'COMMANDER')
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
    return this.inspections.addPhotos(id, files ?? [], { roles: user.roles }, actor);
  }

  /** One photo, to staff only. */
  @Get('inspections/:id/photos/:n')
  @SignedIn()
  async photo(@Param('id') id: string, @Param('n') n: string, @Res() res: Response): Promise<void> {
    const photo = await this.inspections.photo(id, n);
    res.setHeader('Content-Type', photo.mediaType);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('Content-Disposition', 'inline');
    res.end(photo.bytes);
  }

  /** Closes (销号) the inspection's rectification. */
  @Post('inspections/:id/rectification/close')
  @Roles('DUTY_OFFICER', 'COMMANDER')
  @ApiOkResponse({ description: 'the inspection' })
  close(
    @Param('id') id: string,
    @Body() body: CloseRectificationDto,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<InspectionView> {
    return this.inspections.closeRectification(id, body, { roles: user.roles }, actor);
  }

  /** The grade-review list: pending first. */
  @Get('grade-reviews')
  @SignedIn()
  listReviews(@Query() query: GradeReviewQueryDto): Promise<GradeReviewView[]> {
    return this.reviews.list(query);
  }

  /** An administrator's decision: DOWNGRADE (to `newGrade`, lower than now) or KEEP, with a reason. */
  @Post('grade-reviews/:id/decide')
  @Roles('ADMIN')
  @ApiOkResponse({ description: 'the review, decided' })
  decide(
    @Param('id') id: string,
    @Body() body: DecideReviewDto,
    @RequestActor() actor: Actor,
  ): Promise<GradeReviewView> {
    return this.reviews.decide(id, body, actor);
  }
}
