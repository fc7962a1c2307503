import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Ruleset } from './ruleset.entity';

@Injectable()
export class RulesetsService {
  constructor(private readonly dataSource: DataSource) {}

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
