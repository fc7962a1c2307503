import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_NAMES } from '../alerts/alert.rules';
import { DirectiveLiftService } from '../alerts/directive-lift.service';
import type { Actor } from '../audit/actor';
import { type AuthUser, CurrentUser, RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import type { Role } from '../auth/roles';
import { Clock } from '../common/clock/clock';
import { shanghaiIso, shanghaiLocalInput } from '../common/time';
import { DIRECTIVE_KIND_NAMES, DIRECTIVE_KINDS } from '../directives/directive.rules';
import { DirectivesService } from '../directives/directives.service';
import { CreateDirectiveDto, LiftDirectiveDto } from '../directives/dto/directive.dto';
import { RegionsService } from '../regions/regions.service';
import { ConsolePages } from './console-page.decorator';
import { FormBody, formErrors, many, one, validated } from './console-forms';

/** Who records and lifts directives (the API's rule for both routes). */
const RECORDERS: Role[] = ['DUTY_OFFICER', 'COMMANDER'];

/** 省级指令: the provincial directives, 需启动 until answered, a form to record one, 解除 with a reason. */
@ConsolePages()
@Controller('directives')
export class DirectivePagesController {
  constructor(
    private readonly directives: DirectivesService,
    private readonly lifts: DirectiveLiftService,
    private readonly regions: RegionsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @SignedIn()
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: Record<string, string>,
    @Res() res: Response,
  ): Promise<void> {
    const flash =
      query.msg === 'recorded'
        ? '省级指令已录入。'
        : query.msg === 'lifted'
          ? `省级指令已解除:已为 ${Number(query.p) || 0} 个预警提出解除,待指挥部审批${Number(query.s) ? `;${Number(query.s)} 个预警未能提出(见审计记录)` : ''}。`
          : null;
    await this.render(res, 200, user, { flash });
  }

  @Post()
  @Roles(...RECORDERS)
  async record(
    @Body() body: FormBody,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const plain = {
      number: one(body, 'number') ?? '',
      issuer: one(body, 'issuer') ?? '',
      kind: one(body, 'kind') ?? '',
      level: one(body, 'level') ?? '',
      ...(one(body, 'wholeCity') ? { wholeCity: true } : { countyCodes: many(body, 'countyCodes') }),
      startAt: shanghaiIso(one(body, 'startAt')) ?? '',
      ...(one(body, 'endAt') ? { endAt: shanghaiIso(one(body, 'endAt')) } : {}),
      receivedAt: shanghaiIso(one(body, 'receivedAt')) ?? '',
      ...(one(body, 'note') ? { note: one(body, 'note') } : {}),
    };
    try {
      await this.directives.record(validated(CreateDirectiveDto, plain), actor);
      res.redirect(303, '/directives?msg=recorded');
    } catch (e) {
      const errors = formErrors(e);
      await this.render(res, errors.status, user, { values: body, errors });
    }
  }

  @Post(':id/lift')
  @Roles(...RECORDERS)
  async lift(
    @Param('id') id: string,
    @Body() body: FormBody,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const reason = one(body, 'reason');
      const result = await this.lifts.lift(id, validated(LiftDirectiveDto, reason ? { reason } : {}), actor);
      res.redirect(303, `/directives?msg=lifted&p=${result.liftProposals.length}&s=${result.skipped.length}`);
    } catch (e) {
      const errors = formErrors(e);
      await this.render(res, errors.status, user, { liftErrors: { id, errors } });
    }
  }

  private async render(
    res: Response,
    status: number,
    user: AuthUser,
    state: {
      flash?: string | null;
      values?: FormBody;
      errors?: ReturnType<typeof formErrors>;
      liftErrors?: { id: string; errors: ReturnType<typeof formErrors> };
    },
  ): Promise<void> {
    const [directives, counties] = await Promise.all([this.directives.list(), this.regions.listCounties()]);
    const now = this.clock.now();
    const values = state.values ?? {};
    res.status(status).render('pages/directives', {
      title: '省级指令',
      flash: state.flash ?? null,
      directives: directives.map((d) => ({
        ...d,
        countyNames: d.wholeCity
          ? '全市'
          : d.countyCodes.map((c) => counties.find((k) => k.code === c)?.name ?? c).join('、'),
        warnings: d.warnings.map((w) => ({
          ...w,
          statusName: STATUS_NAMES[w.status as keyof typeof STATUS_NAMES] ?? w.status,
        })),
        liftable: d.status === 'IN_FORCE' || d.status === 'SCHEDULED',
        liftError: state.liftErrors?.id === d.id ? state.liftErrors.errors.message : null,
      })),
      canRecord: user.roles.some((r) => RECORDERS.includes(r)),
      kinds: DIRECTIVE_KINDS.map((k) => ({ value: k, name: DIRECTIVE_KIND_NAMES[k] })),
      counties,
      values: {
        ...values,
        kind: one(values, 'kind') ?? 'DISPATCH_ORDER',
        level: one(values, 'level') ?? 'ORANGE',
        countyCodes: many(values, 'countyCodes'),
        receivedAt: one(values, 'receivedAt') ?? shanghaiLocalInput(now),
      },
      errors: state.errors,
    });
  }
}
