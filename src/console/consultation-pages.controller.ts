import { Body, Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { formatTime, shanghaiDate, shanghaiLocalInput } from '../common/time';
import { PRIMARY_POLLUTANT_NAMES, PRIMARY_POLLUTANTS } from '../consultations/consultation.rules';
import { ConsultationsService } from '../consultations/consultations.service';
import { CreateConsultationDto, HeadsUpDto } from '../consultations/dto/consultation.dto';
import { HeadsUpService } from '../consultations/heads-up.service';
import { RegionsService } from '../regions/regions.service';
import { RESPONSE_NAMES } from '../rulesets/episode.rules';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import { RulesetsService } from '../rulesets/rulesets.service';
import { ConsolePages } from './console-page.decorator';
import { FormBody, formErrors, many, one, validated } from './console-forms';
import { aqiThresholds, forecastChart } from './console-view.rules';
import { draftOptions } from './draft-options.rules';
import {
  consultationErrorKey,
  consultationFromForm,
  copiedConsultation,
  GRID_DAYS,
  withPaste,
} from './consultation.form';
import { parseForecastPaste, pasteSummary } from './forecast-paste.rules';

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

  /**
   * The form; `?copy=latest` (复制上次会商) or `?from=<id>` fills it from that consultation: its forecast laid on
   * the new dates, its participants, no opinion.
   */
  @Get('new')
  @Roles('DUTY_OFFICER')
  async form(
    @Res() res: Response,
    @Query('copy') copy?: string,
    @Query('from') from?: string,
  ): Promise<void> {
    if (copy !== 'latest' && !from) return this.renderForm(res, 200, {});
    const source = from ? await this.consultations.get(from) : await this.consultations.latest();
    if (!source) return this.renderForm(res, 200, { copied: '还没有会商记录可复制。' });
    const copied = copiedConsultation(
      { participants: source.participants, forecasts: source.forecasts ?? [] },
      this.gridDates(),
    );
    const held = formatTime(source.heldAt);
    await this.renderForm(res, 200, {
      values: copied.values,
      copied: copied.counties
        ? `已复制${held}会商的预报(${copied.counties}个区县×${copied.days}天,按日期对齐到本次各天,其后留空)和参会单位;请核对预报并填写本次会商意见。`
        : `${held}会商的预报日期都已过去,只复制了参会单位;请录入预报并填写本次会商意见。`,
    });
  }

  /** 从表格粘贴: the whole form comes back with the pasted table laid on the grid, and what could not be read. */
  @Post('paste')
  @Roles('DUTY_OFFICER')
  async paste(@Body() body: FormBody, @Res() res: Response): Promise<void> {
    const counties = await this.regions.listCounties();
    // Pasted straight into a grid cell (consultation-form.js): "county index.day"; else the grid's first cell.
    const [county, day] = (one(body, 'pasteAt') ?? '').split('.').map(Number);
    const inGrid = Number.isInteger(county) && Number.isInteger(day) && county >= 0 && day >= 0;
    // As pasted (not trimmed: a header's blank first cell is a leading tab).
    const text = typeof body.paste === 'string' ? body.paste : '';
    const pasted = parseForecastPaste(text, {
      counties,
      days: GRID_DAYS,
      reference: one(body, 'date.0') ?? this.gridDates()[0],
      at: inGrid && county < counties.length && day < GRID_DAYS ? { county, day } : undefined,
    });
    const { paste: _text, pasteAt: _at, ...values } = body;
    await this.renderForm(res, 200, { values: withPaste(values, pasted), pasted: pasteSummary(pasted) });
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
    state: {
      values?: FormBody;
      errors?: ReturnType<typeof formErrors>;
      /** What 复制上次会商 copied. */
      copied?: string;
      /** What a paste filled and could not read. */
      pasted?: { filled: string; problems: string[] };
    },
  ): Promise<void> {
    const [counties, earlier] = await Promise.all([this.regions.listCounties(), this.consultations.list(1)]);
    const now = this.clock.now();
    const values = state.values ?? {};
    const detailedDays = await this.rulesets
      .inEffectOn(shanghaiDate(now))
      .then((r) => r.definition.detailedDays)
      .catch(() => GRID_DAYS);
    const defaults = this.gridDates();
    const dates = defaults.map((date, i) => ({
      index: i,
      trend: i >= detailedDays,
      value: (values[`date.${i}`] as string | undefined) ?? date,
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
      canCopy: earlier.length > 0,
      copied: state.copied,
      pasted: state.pasted,
      // For the live recommendation (consultation-form.js): what each code reads as.
      levelNames: JSON.stringify(LEVEL_NAMES),
      responseNames: JSON.stringify(RESPONSE_NAMES),
    });
  }

  /** The grid's default dates: the days from tomorrow (Shanghai). */
  private gridDates(): string[] {
    const now = this.clock.now();
    return Array.from({ length: GRID_DAYS }, (_, i) =>
      shanghaiDate(new Date(now.getTime() + (i + 1) * DAY_MS)),
    );
  }
}
