import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { formatTime, shanghaiDate } from '../common/time';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { RulesetsService } from '../rulesets/rulesets.service';
import { Directive } from './directive.entity';
import {
  countiesBelow,
  DIRECTIVE_KIND_NAMES,
  DIRECTIVE_STATUS_NAMES,
  type DirectiveKind,
  type DirectiveStatus,
  directiveStatus,
} from './directive.rules';
import type { CreateDirectiveDto, LiftDirectiveDto } from './dto/directive.dto';

/**
 * Recording a directive takes this lock exclusively; every floor check of a warning change takes it shared, so a
 * directive recorded while a change is being approved is either seen by that approval or recorded after it.
 */
const FLOOR_LOCK = "hashtext('haze:directive-floor')";

/** Received a little ahead of the clock is drift; later is a typing error. */
const FUTURE_SLACK_MS = 10 * 60_000;

/** A warning answering a directive (its `directive_ids` names it), as the directive's page lists it. */
export interface AnsweringWarning {
  id: string;
  code: string;
  status: string;
  level: WarningLevel;
  countyCodes: string[];
}

export interface DirectiveView {
  id: string;
  number: string;
  issuer: string;
  kind: DirectiveKind;
  kindName: string;
  level: WarningLevel;
  levelName: string;
  wholeCity: boolean;
  countyCodes: string[];
  startAt: Date;
  endAt: Date | null;
  receivedAt: Date;
  rulesetId: string;
  note: string | null;
  recordedBy: string;
  createdAt: Date;
  liftedAt: Date | null;
  liftedBy: string | null;
  liftReason: string | null;
  liftRecordedAt: Date | null;
  /** At the time of the answer. */
  status: DirectiveStatus;
  statusName: string;
  /** 需启动: some county it names has no issued or active warning at its level or above for its remaining span. */
  needsStart: boolean;
  countiesBelow: Array<{ code: string; name: string }>;
  /** The warnings drafted in answer to it. */
  warnings: AnsweringWarning[];
}

/** Provincial directives: the only writer of the `directive` table; the alerts module reads through here. */
@Injectable()
export class DirectivesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly rulesets: RulesetsService,
  ) {}

  async record(dto: CreateDirectiveDto, actor: Actor): Promise<DirectiveView> {
    const now = this.clock.now();
    const errors: FieldError[] = [];
    const number = dto.number.trim();
    const issuer = dto.issuer.trim();
    if (number === '') errors.push({ field: 'number', message: '请填写文号' });
    if (issuer === '') errors.push({ field: 'issuer', message: '请填写发文机关' });
    const allCounties = await this.countyCodes();
    const countyCodes = dto.wholeCity ? allCounties : [...new Set(dto.countyCodes ?? [])];
    if (countyCodes.length === 0)
      errors.push({ field: 'countyCodes', message: '请选择区县,或设置 wholeCity: true 覆盖全市' });
    countyCodes.forEach((c, i) => {
      if (!allCounties.includes(c)) errors.push({ field: `countyCodes[${i}]`, message: `未知区县代码 ${c}` });
    });
    const startAt = new Date(dto.startAt);
    const endAt = dto.endAt ? new Date(dto.endAt) : null;
    const receivedAt = new Date(dto.receivedAt);
    if (endAt && endAt.getTime() <= startAt.getTime())
      errors.push({ field: 'endAt', message: '结束时间应晚于开始时间' });
    if (receivedAt.getTime() > now.getTime() + FUTURE_SLACK_MS)
      errors.push({ field: 'receivedAt', message: '收文时间不能晚于当前时间' });
    const ruleset = await this.rulesets.inEffectOn(shanghaiDate(startAt)).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === 'NOT_FOUND') {
        errors.push({ field: 'startAt', message: `${shanghaiDate(startAt)} 没有适用的规则集` });
        return null;
      }
      throw e;
    });
    if (ruleset && !(ruleset.levels as string[]).includes(dto.level))
      errors.push({
        field: 'level',
        message: `开始日期适用的规则集 ${ruleset.id} 的预警级别为 ${ruleset.levels.map((l) => `${l}(${LEVEL_NAMES[l]})`).join('、')}`,
      });
    if (errors.length) throw DomainError.validation(errors);

    const id = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(${FLOOR_LOCK})`);
      if (await m.getRepository(Directive).existsBy({ number })) throw numberTaken(number);
      const saved = await m.save(
        m.create(Directive, {
          number,
          issuer,
          kind: dto.kind,
          level: dto.level as WarningLevel,
          wholeCity: dto.wholeCity === true,
          countyCodes,
          startAt,
          endAt,
          receivedAt,
          rulesetId: ruleset!.id,
          note: dto.note?.trim() || null,
          recordedBy: actor.name ?? 'unknown',
          recordedById: actor.id,
          liftedAt: null,
          liftedBy: null,
          liftedById: null,
          liftRecordedAt: null,
          liftReason: null,
        }),
      );
      await this.audit.record(
        {
          actor,
          action: 'directive.recorded',
          subjectType: 'directive',
          subjectId: saved.id,
          data: {
            number,
            issuer,
            kind: saved.kind,
            level: saved.level,
            wholeCity: saved.wholeCity,
            countyCodes,
            startAt,
            endAt,
            receivedAt,
            rulesetId: saved.rulesetId,
            note: saved.note,
          },
        },
        m,
      );
      return saved.id;
    });
    return this.get(id);
  }

  /**
   * Records the lift in the caller's transaction (the alerts module proposes the warnings' lifts in the same one),
   * the row locked. 409 DIRECTIVE_LIFTED when it is lifted already or has ended.
   */
  async liftTx(m: EntityManager, id: string, dto: LiftDirectiveDto, actor: Actor): Promise<Directive> {
    const now = this.clock.now();
    if (!isUuid(id)) throw DomainError.notFound('省级指令');
    const d = await m
      .getRepository(Directive)
      .createQueryBuilder('d')
      .setLock('pessimistic_write')
      .where('d.id = :id', { id })
      .getOne();
    if (!d) throw DomainError.notFound('省级指令');
    if (d.liftedAt)
      throw new DomainError(
        'DIRECTIVE_LIFTED',
        `${DIRECTIVE_KIND_NAMES[d.kind]} ${d.number} 已于${fmt(d.liftedAt)}解除(${d.liftedBy ?? ''}记录)`,
      );
    const liftedAt = dto.liftedAt ? new Date(dto.liftedAt) : now;
    if (directiveStatus(d, liftedAt) === 'ENDED' || directiveStatus(d, now) === 'ENDED')
      throw new DomainError(
        'DIRECTIVE_LIFTED',
        `${DIRECTIVE_KIND_NAMES[d.kind]} ${d.number} 已于${fmt(d.endAt)}到期结束,无需解除`,
      );
    d.liftedAt = liftedAt;
    d.liftedBy = actor.name ?? 'unknown';
    d.liftedById = actor.id;
    d.liftRecordedAt = now;
    d.liftReason = dto.reason?.trim() || null;
    await m.save(d);
    await this.audit.record(
      {
        actor,
        action: 'directive.lifted',
        subjectType: 'directive',
        subjectId: d.id,
        data: { number: d.number, kind: d.kind, level: d.level, liftedAt, reason: d.liftReason },
      },
      m,
    );
    return d;
  }

  /** Newest first, as the duty office reads them (status and 需启动 as of now). */
  async list(): Promise<DirectiveView[]> {
    const rows = await this.dataSource
      .getRepository(Directive)
      .find({ order: { createdAt: 'DESC' }, take: 200 });
    return this.views(rows);
  }

  /** Those in force or still to start (not ended, not lifted), for the dashboard. */
  async current(): Promise<DirectiveView[]> {
    return (await this.list()).filter((d) => d.status === 'IN_FORCE' || d.status === 'SCHEDULED');
  }

  async get(id: string): Promise<DirectiveView> {
    if (!isUuid(id)) throw DomainError.notFound('省级指令');
    const d = await this.dataSource.getRepository(Directive).findOneBy({ id });
    if (!d) throw DomainError.notFound('省级指令');
    return (await this.views([d]))[0];
  }

  /**
   * The directives that bind at some time of [from, to) (to null: open), in the caller's transaction, after taking
   * the floor lock shared (see FLOOR_LOCK). For the alerts module's floor checks.
   */
  async bindingDuring(m: EntityManager, from: Date, to: Date | null): Promise<Directive[]> {
    await m.query(`SELECT pg_advisory_xact_lock_shared(${FLOOR_LOCK})`);
    return m
      .getRepository(Directive)
      .createQueryBuilder('d')
      .where("d.startAt < coalesce(:to, 'infinity'::timestamptz)", { to })
      .andWhere("coalesce(least(d.endAt, d.liftedAt), 'infinity'::timestamptz) > :from", { from })
      .andWhere('(d.liftedAt IS NULL OR d.liftedAt > d.startAt)')
      .orderBy('d.startAt', 'ASC')
      .getMany();
  }

  /** The directives of these ids that exist (for the alert view and the draft's `directiveId`). */
  async byIds(m: EntityManager, ids: readonly string[]): Promise<Directive[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return m
      .getRepository(Directive)
      .createQueryBuilder('d')
      .where('d.id = ANY(:ids::uuid[])', { ids: valid })
      .orderBy('d.startAt', 'ASC')
      .getMany();
  }

  private async views(rows: Directive[]): Promise<DirectiveView[]> {
    if (rows.length === 0) return [];
    const now = this.clock.now();
    const [counties, approved, answering] = await Promise.all([
      this.dataSource.query<Array<{ code: string; name: string }>>('SELECT code, name FROM county'),
      // The warnings that hold counties now or later: issued or in force (a draft does not answer yet).
      this.dataSource.query<
        Array<{
          county_codes: string[];
          level: WarningLevel;
          effective_at: Date;
          expected_end_at: Date | null;
        }>
      >(
        `SELECT county_codes, level, effective_at, expected_end_at FROM alert
          WHERE status IN ('ISSUED', 'ACTIVE') AND kind = 'WARNING' AND coalesce(expected_end_at, 'infinity') > $1`,
        [now],
      ),
      this.dataSource.query<
        Array<{
          id: string;
          code: string;
          status: string;
          level: WarningLevel;
          county_codes: string[];
          directive_ids: string[];
        }>
      >(
        `SELECT id, code, status, level, county_codes, directive_ids FROM alert
          WHERE directive_ids && $1::uuid[] ORDER BY created_at`,
        [rows.map((r) => r.id)],
      ),
    ]);
    const names = new Map(counties.map((c) => [c.code, c.name]));
    const covers = approved.map((a) => ({
      countyCodes: a.county_codes,
      level: a.level,
      start: a.effective_at,
      end: a.expected_end_at,
    }));
    return rows.map((d) => {
      const status = directiveStatus(d, now);
      const below = countiesBelow(d, covers, now);
      return {
        id: d.id,
        number: d.number,
        issuer: d.issuer,
        kind: d.kind,
        kindName: DIRECTIVE_KIND_NAMES[d.kind],
        level: d.level,
        levelName: LEVEL_NAMES[d.level],
        wholeCity: d.wholeCity,
        countyCodes: d.countyCodes,
        startAt: d.startAt,
        endAt: d.endAt,
        receivedAt: d.receivedAt,
        rulesetId: d.rulesetId,
        note: d.note,
        recordedBy: d.recordedBy,
        createdAt: d.createdAt,
        liftedAt: d.liftedAt,
        liftedBy: d.liftedBy,
        liftReason: d.liftReason,
        liftRecordedAt: d.liftRecordedAt,
        status,
        statusName: DIRECTIVE_STATUS_NAMES[status],
        needsStart: below.length > 0,
        countiesBelow: below.map((code) => ({ code, name: names.get(code) ?? code })),
        warnings: answering
          .filter((a) => a.directive_ids.includes(d.id))
          .map((a) => ({
            id: a.id,
            code: a.code,
            status: a.status,
            level: a.level,
            countyCodes: a.county_codes,
          })),
      };
    });
  }

  private async countyCodes(): Promise<string[]> {
    return (
      await this.dataSource.query<Array<{ code: string }>>('SELECT code FROM county ORDER BY sort_order')
    ).map((r) => r.code);
  }
}

const fmt = (d: Date | null) => formatTime(d);

function numberTaken(number: string): DomainError {
  return new DomainError('DIRECTIVE_NUMBER_TAKEN', `文号 ${number} 已录入,不能重复录入`, [
    { field: 'number', message: '文号已存在' },
  ]);
}
