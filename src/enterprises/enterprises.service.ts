import { ALL_COUNTIES, type CountyScope, inCountyScope, scopeCountiesParam } from '../auth/county-scope';
import { isUuid } from '../common/ids';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { shanghaiDate } from '../common/time';
import { RulesetsService } from '../rulesets/rulesets.service';
import { type GradeMinimum, WARNING_LEVELS, type WarningLevel } from '../rulesets/ruleset.types';
import { normaliseCreditCode } from './credit-code.rules';
import type {
  CreateEnterpriseDto,
  EnterpriseQueryDto,
  PlanDto,
  UpdateEnterpriseDto,
} from './dto/enterprise.dto';
import { Enterprise } from './enterprise.entity';
import {
  diff,
  EnterpriseView,
  toEnterpriseColumns,
  toEnterpriseInput,
  toEnterpriseView,
  toMeasureInput,
} from './enterprise.mapper';
import { normaliseEnterpriseInput, ReferenceSets, validateEnterpriseInput } from './enterprise.rules';
import type { EnterpriseInput, Grade, MeasureInput } from './enterprise.types';
import { PlanMeasure, PlanVersion } from './plan.entity';
import { diffPlans, type PlanDiff } from './plan-diff.rules';
import { monotonyWarnings } from './plan-monotony.rules';
import { checkPlan, normaliseMeasures, type PlanWarning, planWarnings } from './plan.rules';
import { listSeason, replacePlans } from './reduction-list.writer';

export interface PlanView {
  enterpriseId: string;
  season: string | null;
  version: number | null;
  createdAt: Date | null;
  measures: MeasureInput[];
  /** Accepted problems of the plan under the ruleset in effect today (a relaxing level, a grade minimum not met, …). */
  warnings: PlanWarning[];
}

/** One stored version of a plan, for the list of versions. */
export interface PlanVersionView {
  version: number;
  season: string;
  /** API (edited), IMPORT or SEED. */
  source: string;
  createdAt: Date;
  /** The user's login name ('system' for the service itself), or null. */
  createdBy: string | null;
  /** The user's display name, when the login name is a user's. */
  createdByName: string | null;
  measureCount: number;
  /** Where a higher level of this version drops or relaxes a lower level's measure. */
  relaxations: PlanWarning[];
}

export interface PlanDiffView extends PlanDiff {
  enterpriseId: string;
  from: PlanVersionView;
  to: PlanVersionView;
}

/** What the ruleset in effect today asks of a plan. */
export interface PlanRules {
  levels: readonly WarningLevel[];
  gradeMinimums?: Partial<Record<string, GradeMinimum>>;
}

@Injectable()
export class EnterprisesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly rulesets: RulesetsService,
    private readonly clock: Clock,
  ) {}

  async referenceSets(m: EntityManager = this.dataSource.manager): Promise<ReferenceSets> {
    const [counties, industries] = await Promise.all([
      m.query<Array<{ code: string }>>('SELECT code FROM county'),
      m.query<Array<{ code: string }>>('SELECT code FROM industry'),
    ]);
    return {
      counties: new Set(counties.map((r) => r.code)),
      industries: new Set(industries.map((r) => r.code)),
    };
  }

  /** Levels of the ruleset in effect today: a plan may only hold measures for these. */
  async currentLevels(): Promise<readonly WarningLevel[]> {
    return (await this.currentRules()).levels;
  }

  /** The ruleset in effect today, as plan checks read it: its levels and grade minimums. */
  async currentRules(): Promise<PlanRules> {
    const ruleset = await this.rulesets.inEffectOn(shanghaiDate(this.clock.now()));
    return { levels: ruleset.levels, gradeMinimums: ruleset.definition.gradeMinimums };
  }

  currentSeason(): string {
    return listSeason(shanghaiDate(this.clock.now()));
  }

  /** Enterprises matching the query, within the caller's counties (a filter naming another county finds none). */
  async search(
    q: EnterpriseQueryDto,
    scope: CountyScope = ALL_COUNTIES,
  ): Promise<{ items: EnterpriseView[]; total: number; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const qb = this.dataSource.getRepository(Enterprise).createQueryBuilder('e');
    const counties = scopeCountiesParam(scope);
    if (counties) qb.andWhere('e.county_code = ANY(:scope)', { scope: counties });
    if (q.q?.trim()) {
      const text = q.q.trim();
      qb.andWhere("(e.name ILIKE :like ESCAPE '\\' OR e.credit_code LIKE :prefix ESCAPE '\\')", {
        like: `%${escapeLike(text)}%`,
        prefix: `${escapeLike(normaliseCreditCode(text))}%`,
      });
    }
    if (q.countyCode) qb.andWhere('e.county_code = :county', { county: q.countyCode });
    if (q.industry) qb.andWhere('e.industry_code = :industry', { industry: q.industry.toUpperCase() });
    if (q.grade) qb.andWhere('e.grade = :grade', { grade: q.grade.toUpperCase() });
    if (q.protected) qb.andWhere('e.is_protected = :protected', { protected: q.protected === 'true' });
    if (q.archived !== 'all') qb.andWhere('e.archived = :archived', { archived: q.archived === 'true' });
    const [rows, total] = await qb
      .orderBy('e.county_code', 'ASC')
      .addOrderBy('e.name', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items: rows.map(toEnterpriseView), total, page, pageSize };
  }

  private async load(
    id: string,
    m: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<Enterprise> {
    if (!isUuid(id)) throw DomainError.notFound('企业');
    const qb = m.getRepository(Enterprise).createQueryBuilder('e').where('e.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    const found = await qb.getOne();
    if (!found) throw DomainError.notFound('企业');
    return found;
  }

  async get(id: string, scope: CountyScope = ALL_COUNTIES): Promise<EnterpriseView> {
    const found = await this.load(id);
    // Another county's enterprise is not found, so ids do not tell a county officer what exists elsewhere.
    if (!inCountyScope(scope, found.countyCode)) throw DomainError.notFound('企业');
    return toEnterpriseView(found);
  }

  /** 404 unless the enterprise exists within the caller's counties (before reading its plan). */
  async assertInScope(id: string, scope: CountyScope): Promise<void> {
    if ('all' in scope) return;
    await this.get(id, scope);
  }

  private normalise(dto: CreateEnterpriseDto): EnterpriseInput {
    return normaliseEnterpriseInput(dto as EnterpriseInput);
  }

  async create(dto: CreateEnterpriseDto, actor: Actor): Promise<EnterpriseView> {
    const input = this.normalise(dto);
    return this.dataSource.transaction(async (m) => {
      const errors = validateEnterpriseInput(input, await this.referenceSets(m));
      if (errors.length) throw DomainError.validation(errors);
      if (await m.existsBy(Enterprise, { creditCode: input.creditCode })) {
        throw new DomainError('CREDIT_CODE_TAKEN', `统一社会信用代码 ${input.creditCode} 已登记`, [
          { field: 'creditCode', message: '已存在' },
        ]);
      }
      const saved = await m.save(m.create(Enterprise, toEnterpriseColumns(input)));
      await this.audit.record(
        {
          actor,
          action: 'enterprise.created',
          subjectType: 'enterprise',
          subjectId: saved.id,
          data: { after: input },
        },
        m,
      );
      return toEnterpriseView(saved);
    });
  }

  async update(id: string, dto: UpdateEnterpriseDto, actor: Actor): Promise<EnterpriseView> {
    return this.dataSource.transaction(async (m) => {
      const entity = await this.load(id, m, true);
      const before = toEnterpriseInput(entity);
      const wasArchived = entity.archived;
      const { archived, ...fields } = dto;
      const merged = this.normalise({ ...before, ...stripUndefined(fields) });
      const errors = validateEnterpriseInput(merged, await this.referenceSets(m));
      if (errors.length) throw DomainError.validation(errors);
      if (
        merged.creditCode !== before.creditCode &&
        (await m.existsBy(Enterprise, { creditCode: merged.creditCode }))
      ) {
        throw new DomainError('CREDIT_CODE_TAKEN', `统一社会信用代码 ${merged.creditCode} 已登记`, [
          { field: 'creditCode', message: '已存在' },
        ]);
      }
      Object.assign(entity, toEnterpriseColumns(merged));
      if (archived !== undefined) entity.archived = archived;
      const saved = await m.save(entity);
      const changes = diff(before, merged);
      if (archived !== undefined && archived !== wasArchived) changes.archived = [wasArchived, archived];
      await this.audit.record(
        {
          actor,
          action: 'enterprise.updated',
          subjectType: 'enterprise',
          subjectId: id,
          data: { creditCode: merged.creditCode, changes },
        },
        m,
      );
      return toEnterpriseView(saved);
    });
  }

  /** Archived enterprises keep their history but receive no orders and drop out of the list. */
  async archive(id: string, actor: Actor): Promise<EnterpriseView> {
    return this.dataSource.transaction(async (m) => {
      const entity = await this.load(id, m, true);
      if (!entity.archived) {
        entity.archived = true;
        await m.save(entity);
        await this.audit.record(
          {
            actor,
            action: 'enterprise.archived',
            subjectType: 'enterprise',
            subjectId: id,
            data: { creditCode: entity.creditCode, name: entity.name },
          },
          m,
        );
      }
      return toEnterpriseView(entity);
    });
  }

  /**
   * Changes an enterprise's 绩效分级 grade on a decision made elsewhere (a grade review after an inspection, issue
   * 17): this service stays the one writer of enterprise. In the caller's transaction; audited as
   * `enterprise.regraded` with the grade before and after and why.
   */
  async regrade(
    id: string,
    grade: Grade,
    why: { reason: string; gradeReviewId?: string },
    actor: Actor,
    m: EntityManager,
  ): Promise<EnterpriseView> {
    const entity = await this.load(id, m, true);
    const before = entity.grade;
    entity.grade = grade;
    const saved = await m.save(entity);
    await this.audit.record(
      {
        actor,
        action: 'enterprise.regraded',
        subjectType: 'enterprise',
        subjectId: id,
        data: {
          creditCode: entity.creditCode,
          name: entity.name,
          changes: { grade: [before, grade] },
          reason: why.reason,
          ...(why.gradeReviewId ? { gradeReviewId: why.gradeReviewId } : {}),
        },
      },
      m,
    );
    return toEnterpriseView(saved);
  }

  async getPlan(id: string): Promise<PlanView> {
    const entity = await this.load(id);
    const version = await this.dataSource
      .getRepository(PlanVersion)
      .findOneBy({ enterpriseId: id, isCurrent: true });
    if (!version)
      return { enterpriseId: id, season: null, version: null, createdAt: null, measures: [], warnings: [] };
    const measures = (
      await this.dataSource
        .getRepository(PlanMeasure)
        .find({ where: { planVersionId: version.id }, order: { seq: 'ASC' } })
    ).map(toMeasureInput);
    const rules = await this.currentRules();
    return {
      enterpriseId: id,
      season: version.season,
      version: version.version,
      createdAt: version.createdAt,
      measures,
      warnings: planWarnings({
        grade: entity.grade,
        protected: entity.isProtected,
        measures,
        levels: rules.levels,
        lines: entity.lines,
        gradeMinimums: rules.gradeMinimums,
      }),
    };
  }

  /**
   * The errors putPlan would refuse these measures with, writing nothing: the console editor shows them with the
   * errors of its own inputs, all at once.
   */
  async checkPlanDraft(id: string, input: MeasureInput[]): Promise<FieldError[]> {
    const [entity, rules] = await Promise.all([this.load(id), this.currentRules()]);
    return checkPlan({
      grade: entity.grade,
      protected: entity.isProtected,
      baseline: toEnterpriseInput(entity).baseline,
      measures: normaliseMeasures(input),
      levels: rules.levels,
      lines: entity.lines,
      gradeMinimums: rules.gradeMinimums,
    }).errors;
  }

  /** Every version of the enterprise's plan, newest first, with who wrote it. */
  async planVersions(id: string): Promise<PlanVersionView[]> {
    await this.load(id);
    return this.versionRows(id);
  }

  /** Two versions of the plan and what changed from the one to the other, level by level. */
  async planDiff(id: string, from: number, to: number): Promise<PlanDiffView> {
    await this.load(id);
    const [a, b] = await Promise.all([this.versionRows(id, from), this.versionRows(id, to)]);
    if (!a.length) throw DomainError.notFound(`第${from}版方案`);
    if (!b.length) throw DomainError.notFound(`第${to}版方案`);
    const [before, after] = await Promise.all([this.versionMeasures(id, from), this.versionMeasures(id, to)]);
    return { enterpriseId: id, from: a[0], to: b[0], ...diffPlans(before, after) };
  }

  private async versionMeasures(id: string, version: number): Promise<MeasureInput[]> {
    const rows = await this.dataSource
      .getRepository(PlanMeasure)
      .createQueryBuilder('pm')
      .innerJoin(PlanVersion, 'pv', 'pv.id = pm.plan_version_id')
      .where('pv.enterprise_id = :id AND pv.version = :version', { id, version })
      .orderBy('pm.seq', 'ASC')
      .getMany();
    return rows.map(toMeasureInput);
  }

  private async versionRows(id: string, version?: number): Promise<PlanVersionView[]> {
    const rows = await this.dataSource.query<
      Array<{
        version: number;
        season: string;
        source: string;
        created_at: Date;
        created_by: string | null;
        display_name: string | null;
        measures: number;
        relaxations: PlanWarning[] | null;
      }>
    >(
      `SELECT pv.version, pv.season, pv.source, pv.created_at, pv.created_by, u.display_name, pv.relaxations,
              (SELECT count(*)::int FROM plan_measure pm WHERE pm.plan_version_id = pv.id) AS measures
         FROM plan_version pv
         LEFT JOIN app_user u ON u.username = pv.created_by
        WHERE pv.enterprise_id = $1 AND ($2::int IS NULL OR pv.version = $2)
        ORDER BY pv.version DESC`,
      [id, version ?? null],
    );
    const views: PlanVersionView[] = [];
    for (const r of rows)
      views.push({
        version: r.version,
        season: r.season,
        source: r.source,
        createdAt: r.created_at,
        createdBy: r.created_by,
        createdByName: r.display_name,
        measureCount: r.measures,
        // Versions written before relaxations were recorded: worked out from their measures, as the writer does.
        relaxations:
          r.relaxations ?? monotonyWarnings(await this.versionMeasures(id, r.version), WARNING_LEVELS),
      });
    return views;
  }

  /** Replaces the plan with a new version (the old one is kept); 422 naming the measure field when invalid. */
  async putPlan(id: string, dto: PlanDto, actor: Actor): Promise<PlanView> {
    const rules = await this.currentRules();
    const measures = normaliseMeasures(dto.measures as MeasureInput[]);
    const result = await this.dataSource.transaction(async (m) => {
      const entity = await this.load(id, m, true);
      const before = await this.getPlan(id);
      const check = checkPlan({
        grade: entity.grade,
        protected: entity.isProtected,
        baseline: toEnterpriseInput(entity).baseline,
        season: dto.season,
        measures,
        levels: rules.levels,
        lines: entity.lines,
        gradeMinimums: rules.gradeMinimums,
      });
      if (check.errors.length) throw DomainError.validation(check.errors);
      const season = dto.season?.trim() || this.currentSeason();
      const versions = await replacePlans(m, [{ enterpriseId: id, season, measures }], {
        source: 'API',
        createdBy: actor.name,
      });
      const version = versions.get(id)!.version;
      await this.audit.record(
        {
          actor,
          action: 'plan.replaced',
          subjectType: 'enterprise',
          subjectId: id,
          data: {
            creditCode: entity.creditCode,
            season,
            version,
            before: { version: before.version, measures: before.measures },
            after: { measures },
            warnings: check.warnings,
          },
        },
        m,
      );
      return { warnings: check.warnings };
    });
    return { ...(await this.getPlan(id)), warnings: result.warnings };
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
