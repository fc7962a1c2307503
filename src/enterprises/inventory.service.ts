import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { POLLUTANTS } from '../rulesets/ruleset.types';
import { CITY_AREA_CODE, EmissionInventory } from './emission-inventory.entity';
import { MAX_EMISSION_KG_PER_DAY } from './enterprise.rules';
import type { Emissions } from './enterprise.types';

export interface InventoryRow extends Emissions {
  areaCode: string;
  updatedAt: Date;
}

/** The emission inventory (全社会排放总量) per area: the denominators of adequacy. */
@Injectable()
export class InventoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<InventoryRow[]> {
    const rows = await this.dataSource.getRepository(EmissionInventory).find({ order: { areaCode: 'ASC' } });
    return rows.map(({ areaCode, so2, nox, pm, vocs, updatedAt }) => ({
      areaCode,
      so2,
      nox,
      pm,
      vocs,
      updatedAt,
    }));
  }

  async put(areaCode: string, values: Emissions, actor: Actor): Promise<InventoryRow> {
    const errors = POLLUTANTS.filter((p) => values[p] < 0 || values[p] > MAX_EMISSION_KG_PER_DAY).map(
      (p) => ({
        field: p,
        message:
          values[p] < 0 ? `${p} 排放总量不能为负数` : `${p} 排放总量不能超过${MAX_EMISSION_KG_PER_DAY} kg/d`,
      }),
    );
    if (errors.length) throw DomainError.validation(errors);
    return this.dataSource.transaction(async (m) => {
      const known =
        areaCode === CITY_AREA_CODE ||
        (await m.query<unknown[]>('SELECT 1 FROM county WHERE code = $1', [areaCode])).length > 0;
      if (!known) throw DomainError.notFound(`区域 ${areaCode} `);
      const repo = m.getRepository(EmissionInventory);
      const before = await repo.findOneBy({ areaCode });
      const saved = await repo.save(repo.create({ areaCode, ...values }));
      await this.audit.record(
        {
          actor,
          action: 'inventory.updated',
          subjectType: 'emission_inventory',
          subjectId: areaCode,
          data: {
            before: before ? { so2: before.so2, nox: before.nox, pm: before.pm, vocs: before.vocs } : null,
            after: values,
          },
        },
        m,
      );
      return { areaCode, ...values, updatedAt: saved.updatedAt };
    });
  }
}
