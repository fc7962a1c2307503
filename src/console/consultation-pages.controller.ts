import { Body, Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { shanghaiDate, shanghaiLocalInput } from '../common/time';
import { PRIMARY_POLLUTANT_NAMES, PRIMARY_POLLUTANTS } from '../consultations/consultation.rules';
import { ConsultationsService } from '../consultations/consultations.service';
import { CreateConsultationDto, HeadsUpDto } from '../consultations/dto/consultation.dto';
import { HeadsUpService } from '../consultations/heads-up.service';
import { RegionsService } from '../regions/regions.service';
import { RESPONSE_NAMES } from '../rulesets/episode.rules';
import { RulesetsService } from '../rulesets/rulesets.service';
import { ConsolePages } from './console-page.decorator';
import { FormBody, formErrors, many, one, validated } from './console-forms';
import { aqiThresholds, forecastChart } from './console-view.rules';
import { draftOptions } from './draft-options.rules';
import { consultationErrorKey, consultationFromForm, GRID_DAYS } from './consultation.form';

const DAY_MS = 24 * 3600_000;

@ConsolePages()
@Controller('consultations')
export class ConsultationPagesController {
  constructor(
    private readonly consultations: ConsultationsService,
    private readonly headsUps: HeadsUpService,
    private readonly regions: RegionsService,
    private readonly rulesets: RulesetsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @SignedIn()
  @Render('pages/consultations')
  async list(): Promise<object> {
    const [list, counties] = await Promise.all([this.consultations.list(30), this.regions.listCounties()]);
    const names = Object.fromEntries(counties.map((c) => [c.code, c.name]));
    // Each consultation with its counties by name and the level (or response) recommended for them.
    const consultations = list.map((c) => ({
      ...c,
      recommendations: c.recommendations.map((r) => ({
        ...r,
        countyName: names[r.countyCode] ?? r.countyCode,
        responseName: r.response && r.response !== 'WARNING' ? RESPONSE_NAMES[r.response] : null,
      })),
    }));
    return { title: '每日会商', consultations };
  }

  @Get('new')
  @Roles('DUTY_OFFICER')
  async form(@Res() res: Response): Promise<void> {
    await this.renderForm(res, 200, {});
  }

  @Post()
  @Roles('DUTY_OFFICER')
  async create(@Body() body: FormBody, @RequestActor() actor: Actor, @Res() res: Response): Promise<void> {
    const counties = await this.regions.listCounties();
    const { plain, cellOf } = consultationFromForm(
      body,
      counties.map((c) => c.code),
    );
    try {
      const created = await this.consultations.create(validated(CreateConsultationDto, plain), actor);
      res.redirect(303, `/consultations/${created.id}`);
    } catch (e) {
      const errors = formErrors(e, (field) => consultationErrorKey(field, cellOf));
      await this.renderForm(res, errors.status, { values: body, errors });
    }
  }

  /** 发送预警提示 from the outlook section: the ticked counties and a note; back to the page with the outcome. */
  @Post(':id/heads-up')
  @Roles('DUTY_OFFICER')
  async headsUp(
    @Param('id') id: string,
    @Body() body: FormBody,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const dto = validated(HeadsUpDto, {
        countyCodes: many(body, 'countyCodes'),
        note: one(body, 'note') ?? '',
      });
      await this.headsUps.send(id, dto, actor);
      res.redirect(303, `/consultations/${id}?msg=heads-up`);
    } catch (e) {
      const errors = formErrors(e, (field) => field.split(/[.[]/)[0]);
      res.status(errors.status).render('pages/consultation', {
        ...(await this.detail(id, undefined)),
        headsUpErrors: errors,
      });
    }
  }

  @Get(':id')
  @SignedIn()
  @Render('pages/consultation')
  async detail(@Param('id') id: string, @Query('msg') msg?: string): Promise<object> {
    const [c, counties, headsUps] = await Promise.all([
      this.consultations.get(id),
      this.regions.listCounties(),
      this.headsUps.list(id),
    ]);
    const ruleset = await this.rulesets.get(c.rulesetId);
    const names = Object.fromEntries(counties.map((k) => [k.code, k.name]));
    return {
      title: '会商结果',
      consultation: c,
      ruleset,
      recommendations: c.recommendations.map((r) => ({
        ...r,
        countyName: names[r.countyCode] ?? r.countyCode,
        responseName: r.response ? RESPONSE_NAMES[r.response] : null,
      })),
      // The trend beyond the detailed days: counties to tell to prepare (预警提示), no order.
      outlook: c.recommendations
        .filter((r) => r.outlook?.length)
        .map((r) => ({
          countyCode: r.countyCode,
          countyName: names[r.countyCode] ?? r.countyCode,
          episodes: r.outlook,
          sent: headsUps.some((h) => h.countyCodes.includes(r.countyCode)),
        })),
      headsUps: headsUps.map((h) => ({
        ...h,
        countyNames: h.countyCodes.map((code) => names[code] ?? code),
      })),
      flash: msg === 'heads-up' ? '预警提示已排队发送给所选区县的企业。' : null,
      chart: forecastChart(c.forecasts ?? [], names, aqiThresholds(ruleset.definition)),
      // One draft per recommended level: a warning has one level, and no recommended county is left unoffered.
      drafts: draftOptions(c.recommendations, names),
    };
  }

  private async renderForm(
    res: Response,
    status: number,
    state: { values?: FormBody; errors?: ReturnType<typeof formErrors> },
  ): Promise<void> {
    const counties = await this.regions.listCounties();
    const now = this.clock.now();
    const values = state.values ?? {};
    const detailedDays = await this.rulesets
      .inEffectOn(shanghaiDate(now))
      .then((r) => r.definition.detailedDays)
      .catch(() => GRID_DAYS);
    const dates = Array.from({ length: GRID_DAYS }, (_, i) => ({
      index: i,
      trend: i >= detailedDays,
      value:
        (values[`date.${i}`] as string | undefined) ??
        shanghaiDate(new Date(now.getTime() + (i + 1) * DAY_MS)),
    }));
    const byField = state.errors?.byField ?? {};
    res.status(status).render('pages/consultation-form', {
      title: '录入会商',
      heldAt: (values.heldAt as string | undefined) ?? shanghaiLocalInput(now),
      participants: (values.participants as string | undefined) ?? '市生态环境局\n市气象局',
      opinion: values.opinion ?? '',
      dates,
      pollutants: PRIMARY_POLLUTANTS.map((code) => ({ code, name: PRIMARY_POLLUTANT_NAMES[code] })),
      detailedDays,
      rows: counties.map((c) => ({
        code: c.code,
        name: c.name,
        cells: dates.map((d) => {
          const key = `${c.code}.${d.index}`;
          return {
            aqiName: `aqi.${key}`,
            pollutantName: `pollutant.${key}`,
            aqi: values[`aqi.${key}`] ?? '',
            pollutant: values[`pollutant.${key}`] ?? 'PM2.5',
            error: byField[`aqi.${key}`],
          };
        }),
      })),
      counties,
      values,
      errors: state.errors,
    });
  }
}
