import { isUuid } from '../common/ids';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { shanghaiDate, shanghaiDayStart } from '../common/time';
import { type Floor, highestFloor, recommendCounty } from '../rulesets/recommendation.rules';
import { DIRECTIVE_KIND_NAMES } from '../directives/directive.rules';
import { DirectivesService } from '../directives/directives.service';
import type { Ruleset } from '../rulesets/ruleset.entity';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { RulesetsService } from '../rulesets/rulesets.service';
import {
  Consultation,
  ConsultationForecast,
  type CountyRecommendation,
  type Directive,
} from './consultation.entity';
import { daysByCounty, validateForecasts } from './consultation.rules';
import type { CreateConsultationDto, RecommendationRequestDto } from './dto/consultation.dto';

export interface ConsultationView {
  id: string;
  heldAt: Date;
  participants: string[];
  opinion: string;
  rulesetId: string;
  directive: Directive | null;
  recommendations: CountyRecommendation[];
  createdBy: string;
  forecasts?: Array<{ countyCode: string; date: string; aqi: number; primaryPollutant: string }>;
}

/** What the form shows while the grid is typed: the recommendations `create` would record, unsaved. */
export interface RecommendationPreview {
  rulesetId: string;
  recommendations: CountyRecommendation[];
}

/** Consultations are recorded with a small allowance for clock drift, never ahead of time. */
const FUTURE_SLACK_MS = 10 * 60_000;
const DAY_MS = 24 * 3600_000;

const labelOf = (d: Directive) => `${d.kind === 'DISPATCH_ORDER' ? '省级调度令' : '区域预警'}${d.number}`;

@Injectable()
export class ConsultationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rulesets: RulesetsService,
    private readonly directives: DirectivesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateConsultationDto, actor: Actor): Promise<ConsultationView> {
    const heldAt = new Date(dto.heldAt);
    const checked = await this.check(dto, heldAt);
    return this.dataSource.transaction(async (m) => {
      const { ruleset, directive, recommendations } = await this.judge(dto, checked, m);
      const saved = await m.save(
        m.create(Consultation, {
          heldAt,
          participants: dto.participants.map((p) => p.trim()).filter(Boolean),
          opinion: dto.opinion.trim(),
          rulesetId: ruleset.id,
          directive,
          recommendations,
          createdBy: actor.name ?? 'unknown',
        }),
      );
      await m.query(
        `INSERT INTO consultation_forecast (consultation_id, county_code, date, aqi, primary_pollutant)
         SELECT $1, * FROM unnest($2::varchar[], $3::date[], $4::int[], $5::text[])`,
        [
          saved.id,
          dto.forecasts.map((f) => f.countyCode),
          dto.forecasts.map((f) => f.date),
          dto.forecasts.map((f) => f.aqi),
          dto.forecasts.map((f) => f.primaryPollutant),
        ],
      );
      await this.audit.record(
        {
          actor,
          action: 'consultation.recorded',
          subjectType: 'consultation',
          subjectId: saved.id,
          data: {
            heldAt: dto.heldAt,
            rulesetId: ruleset.id,
            participants: saved.participants,
            directive,
            forecasts: dto.forecasts.length,
            recommendations,
          },
        },
        m,
      );
      return this.toView(saved);
    });
  }

  /**
   * The recommendation per county the consultation would record, computed by the same checks and rule as
   * `create` (the ruleset in effect on `heldAt`, default now; directives given and recorded), and nothing saved:
   * the form shows it while the grid is typed.
   */
  async preview(dto: RecommendationRequestDto): Promise<RecommendationPreview> {
    const heldAt = dto.heldAt ? new Date(dto.heldAt) : this.clock.now();
    const checked = await this.check(dto, heldAt);
    const { ruleset, recommendations } = await this.judge(dto, checked, this.dataSource.manager);
    return { rulesetId: ruleset.id, recommendations };
  }

  /** Every check of a consultation's input (time, ruleset, counties, forecasts, directive); a 422 naming them. */
  private async check(
    dto: RecommendationRequestDto,
    heldAt: Date,
  ): Promise<{ ruleset: Ruleset; directive: Directive | null }> {
    const now = this.clock.now();
    const errors: FieldError[] = [];
    if (heldAt.getTime() > now.getTime() + FUTURE_SLACK_MS)
      errors.push({ field: 'heldAt', message: '会商时间不能晚于当前时间' });
    const ruleset = await this.resolveRuleset(dto.rulesetId, shanghaiDate(heldAt), errors);
    const counties = new Set(
      (await this.dataSource.query<Array<{ code: string }>>('SELECT code FROM county')).map((r) => r.code),
    );
    errors.push(...validateForecasts(dto.forecasts, { counties, today: shanghaiDate(now) }));
    const directive = dto.directive ? this.checkDirective(dto.directive, ruleset, counties, errors) : null;
    if (errors.length || !ruleset) throw DomainError.validation(errors);
    return { ruleset, directive };
  }

  /** The recommendations: the forecast under the ruleset, raised by the directive given and those recorded. */
  private async judge(
    dto: RecommendationRequestDto,
    { ruleset, directive }: { ruleset: Ruleset; directive: Directive | null },
    m: EntityManager,
  ): Promise<{ ruleset: Ruleset; directive: Directive | null; recommendations: CountyRecommendation[] }> {
    // Directives recorded (/api/directives) that bind during the forecast's days raise it too.
    const dates = dto.forecasts.map((f) => f.date).sort();
    const recorded = await this.directives.bindingDuring(
      m,
      shanghaiDayStart(dates[0]),
      new Date(shanghaiDayStart(dates[dates.length - 1]).getTime() + DAY_MS),
    );
    const recommendations = this.recommend(ruleset, dto.forecasts, [
      ...(directive
        ? [{ level: directive.level, label: labelOf(directive), countyCodes: directive.countyCodes }]
        : []),
      ...recorded.map((d) => ({
        level: d.level,
        label: `${DIRECTIVE_KIND_NAMES[d.kind]}${d.number}`,
        countyCodes: d.countyCodes,
      })),
    ]);
    return { ruleset, directive, recommendations };
  }

  private async resolveRuleset(
    id: string | undefined,
    date: string,
    errors: FieldError[],
  ): Promise<Ruleset | null> {
    try {
      return id ? await this.rulesets.get(id) : await this.rulesets.inEffectOn(date);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'NOT_FOUND') {
        errors.push({ field: 'rulesetId', message: id ? `未知规则集 ${id}` : `${date} 没有适用的规则集` });
        return null;
      }
      throw e;
    }
  }

  private checkDirective(
    d: CreateConsultationDto['directive'] & object,
    ruleset: Ruleset | null,
    counties: ReadonlySet<string>,
    errors: FieldError[],
  ): Directive {
    if (ruleset && !(ruleset.levels as string[]).includes(d.level)) {
      errors.push({ field: 'directive.level', message: `规则集 ${ruleset.id} 没有 ${d.level} 级别` });
    }
    d.countyCodes.forEach((c, i) => {
      if (!counties.has(c))
        errors.push({ field: `directive.countyCodes[${i}]`, message: `未知区县代码 ${c}` });
    });
    if (d.to && new Date(d.to).getTime() <= new Date(d.from).getTime())
      errors.push({ field: 'directive.to', message: '结束时间应晚于开始时间' });
    return {
      kind: d.kind,
      number: d.number.trim(),
      level: d.level as WarningLevel,
      countyCodes: d.countyCodes,
      from: d.from,
      to: d.to ?? null,
    };
  }

  private recommend(
    ruleset: Ruleset,
    forecasts: CreateConsultationDto['forecasts'],
    floors: Array<Floor & { countyCodes: string[] }>,
  ): CountyRecommendation[] {
    const days = daysByCounty(forecasts);
    const codes = [...new Set([...days.keys(), ...floors.flatMap((f) => f.countyCodes)])].sort();
    return codes.map((countyCode) => ({
      countyCode,
      ...recommendCounty(
        ruleset.definition,
        ruleset.id,
        days.get(countyCode) ?? [],
        highestFloor(floors, countyCode),
      ),
    }));
  }

  async list(limit = 20): Promise<ConsultationView[]> {
    const rows = await this.dataSource
      .getRepository(Consultation)
      .find({ order: { heldAt: 'DESC', createdAt: 'DESC' }, take: Math.min(Math.max(limit, 1), 100) });
    return rows.map((r) => this.toView(r));
  }

  async get(id: string): Promise<ConsultationView> {
    const row = isUuid(id) ? await this.dataSource.getRepository(Consultation).findOneBy({ id }) : null;
    if (!row) throw DomainError.notFound('会商记录');
    const forecasts = await this.dataSource
      .getRepository(ConsultationForecast)
      .find({ where: { consultationId: id }, order: { countyCode: 'ASC', date: 'ASC' } });
    return {
      ...this.toView(row),
      forecasts: forecasts.map(({ countyCode, date, aqi, primaryPollutant }) => ({
        countyCode,
        date,
        aqi,
        primaryPollutant,
      })),
    };
  }

  /** The most recent consultation (by when it was held), with its forecasts, or null. */
  async latest(): Promise<ConsultationView | null> {
    const [row] = await this.dataSource
      .getRepository(Consultation)
      .find({ order: { heldAt: 'DESC', createdAt: 'DESC' }, take: 1 });
    return row ? this.get(row.id) : null;
  }

  private toView(c: Consultation): ConsultationView {
    return {
      id: c.id,
      heldAt: c.heldAt,
      participants: c.participants,
      opinion: c.opinion,
      rulesetId: c.rulesetId,
      directive: c.directive,
      recommendations: c.recommendations,
      createdBy: c.createdBy,
    };
  }
}
