import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import type { FieldError } from '../common/errors/domain-error';
import type { CreateRulesetDto } from './dto/ruleset.dto';
import { Ruleset } from './ruleset.entity';
import { deriveDefinition, RULESET_ID_PATTERN } from './ruleset.rules';

@Injectable()
export class RulesetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * A new version derived from an existing ruleset (ratios, one or per pollutant; lift hours, lead time, detailed
   * days, deadlines, approval hours, episodes and responses changed; level rules kept). Rulesets are never edited in place: warnings keep the version they were issued under. The
   * log records the base and every changed value, before and after.
   */
  async createVersion(dto: CreateRulesetDto, actor: Actor): Promise<Ruleset> {
    const errors: FieldError[] = [];
    if (!RULESET_ID_PATTERN.test(dto.id))
      errors.push({
        field: 'id',
        message: '编号须为大写字母开头的 3-40 位大写字母、数字或 -(如 LVLIANG-2026)',
      });
    if (Number.isNaN(Date.parse(dto.effectiveFrom)))
      errors.push({ field: 'effectiveFrom', message: '不是有效日期' });
    // Null, as GET /api/rulesets shows it, is open-ended like leaving it out.
    if (dto.effectiveTo != null && !(dto.effectiveTo > dto.effectiveFrom))
      errors.push({ field: 'effectiveTo', message: '结束日期应晚于开始日期' });
    return this.dataSource.transaction(async (m) => {
      const base = await m.getRepository(Ruleset).findOneBy({ id: dto.basedOn });
      if (!base) errors.push({ field: 'basedOn', message: `规则集 ${dto.basedOn} 不存在` });
      const derived = base ? deriveDefinition(base, dto) : null;
      errors.push(...(derived?.errors ?? []));
      if (errors.length) throw DomainError.validation(errors);
      if (await m.getRepository(Ruleset).existsBy({ id: dto.id }))
        throw new DomainError('RULESET_ID_TAKEN', `规则集 ${dto.id} 已存在`, [
          { field: 'id', message: '编号已存在' },
        ]);
      const created = await m.save(
        m.create(Ruleset, {
          id: dto.id,
          name: dto.name.trim(),
          source: dto.source.trim(),
          effectiveFrom: dto.effectiveFrom,
          effectiveTo: dto.effectiveTo ?? null,
          levels: base!.levels,
          definition: derived!.definition,
        }),
      );
      await this.audit.record(
        {
          actor,
          action: 'ruleset.created',
          subjectType: 'ruleset',
          subjectId: created.id,
          data: {
            basedOn: base!.id,
            effectiveFrom: created.effectiveFrom,
            effectiveTo: created.effectiveTo,
            changes: derived!.changes,
          },
        },
        m,
      );
      return created;
    });
  }

  list(): Promise<Ruleset[]> {
    return this.dataSource.getRepository(Ruleset).find({ order: { effectiveFrom: 'ASC' } });
  }

  async get(id: string): Promise<Ruleset> {
    const ruleset = await this.dataSource.getRepository(Ruleset).findOneBy({ id });
    if (!ruleset) throw DomainError.notFound(`规则集 ${id} `);
    return ruleset;
  }

  /** The ruleset in effect on a calendar date (YYYY-MM-DD, Asia/Shanghai): the latest one started by then. */
  async inEffectOn(date: string): Promise<Ruleset> {
    const ruleset = await this.dataSource
      .getRepository(Ruleset)
      .createQueryBuilder('r')
      .where('r.effectiveFrom <= :date', { date })
      .andWhere('(r.effectiveTo IS NULL OR r.effectiveTo > :date)', { date })
      .orderBy('r.effectiveFrom', 'DESC')
      .getOne();
    if (!ruleset) throw DomainError.notFound(`${date} 适用的规则集`);
    return ruleset;
  }
}
