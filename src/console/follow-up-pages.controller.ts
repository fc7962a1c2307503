import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import {
  type AuthedRequest,
  type AuthUser,
  CurrentUser,
  RequestActor,
  Roles,
  OpenToCounties,
  SignedIn,
} from '../auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { shanghaiIso, shanghaiLocalInput } from '../common/time';
import { CreateFollowUpDto } from '../follow-ups/dto/follow-up.dto';
import {
  FOLLOW_UP_KIND_NAMES,
  FOLLOW_UP_KINDS,
  FOLLOW_UP_OUTCOME_NAMES,
  FOLLOW_UP_OUTCOMES,
  followUpAuthorOf,
  followUpRefusal,
} from '../follow-ups/follow-up.rules';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { inspectionRefusal, inspectorOf } from '../inspections/inspection.rules';
import { ConsolePages } from './console-page.decorator';
import { type FormBody, formErrors, one, validated } from './console-forms';

/** 记录电话 / 跟进记录 of one order: the order's follow-ups and a small form; back to the warning when recorded. */
@ConsolePages()
@Controller('orders')
export class FollowUpPagesController {
  constructor(
    private readonly followUps: FollowUpsService,
    private readonly clock: Clock,
  ) {}

  @Get(':id/follow-ups')
  @SignedIn()
  @OpenToCounties()
  async page(@Param('id') id: string, @Res() res: Response, @Query('kind') kind?: string): Promise<void> {
    const preset = (FOLLOW_UP_KINDS as readonly string[]).includes(kind ?? '') ? kind! : 'PHONE_CALL';
    await this.render(res, id, 200, { kind: preset, happenedAt: shanghaiLocalInput(this.clock.now()) });
  }

  @Post(':id/follow-ups')
  @Roles('DUTY_OFFICER', 'COMMANDER', 'COUNTY_OFFICER')
  async record(
    @Param('id') id: string,
    @Body() body: FormBody,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const plain = {
      kind: one(body, 'kind') ?? '',
      outcome: one(body, 'outcome') ?? '',
      ...(one(body, 'note') ? { note: one(body, 'note') } : {}),
      ...(one(body, 'contactName') ? { contactName: one(body, 'contactName') } : {}),
      ...(one(body, 'happenedAt') ? { happenedAt: shanghaiIso(one(body, 'happenedAt')) } : {}),
    };
    try {
      const saved = await this.followUps.record(
        id,
        validated(CreateFollowUpDto, plain),
        followUpAuthorOf(user),
        actor,
      );
      res.redirect(303, `/alerts/${saved.alertId}?msg=followed-up#non-responders`);
    } catch (e) {
      const errors = formErrors(e);
      await this.render(res, id, errors.status, body, errors);
    }
  }

  private async render(
    res: Response,
    id: string,
    status: number,
    values: FormBody,
    errors?: ReturnType<typeof formErrors>,
  ): Promise<void> {
    const user = (res.req as AuthedRequest).user!;
    const author = followUpAuthorOf(user);
    // Another county's order is not found for a county officer (404), as in the API.
    const order = await this.followUps.order(id, author.scope);
    const history = await this.followUps.listForOrder(id, author.scope);
    res.status(status).render('pages/order-follow-ups', {
      title: `跟进记录 ${order.enterpriseName}`,
      order,
      history,
      values,
      errors,
      canRecord: followUpRefusal(author, order) === null,
      canInspect: inspectionRefusal(inspectorOf(user), order) === null,
      kinds: FOLLOW_UP_KINDS.map((code) => ({
        code,
        name: FOLLOW_UP_KIND_NAMES[code],
        selected: one(values, 'kind') === code,
      })),
      outcomes: FOLLOW_UP_OUTCOMES.map((code) => ({
        code,
        name: FOLLOW_UP_OUTCOME_NAMES[code],
        selected: one(values, 'outcome') === code,
      })),
    });
  }
}
