import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { bearerKey, hashApiKey, newApiKey } from './api-key.rules';
import type { CreateSourceDto } from './dto/telemetry.dto';
import type { SourceScope } from './reading.rules';

/** A source as listed (never its key). */
export interface SourceView {
  id: string;
  name: string;
  countyCode: string | null;
  enterpriseId: string | null;
  enterpriseName: string | null;
  keyPrefix: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** The source a key authenticated, with the scope it may write to. */
export interface AuthedSource {
  id: string;
  name: string;
  scope: SourceScope;
}

const SELECT_VIEW = `SELECT s.id, s.name, s.county_code, s.enterprise_id, e.name AS enterprise_name, s.key_prefix,
                            s.created_by_name, s.created_at, s.revoked_at, s.revoked_by_name
                       FROM telemetry_source s LEFT JOIN enterprise e ON e.id = s.enterprise_id`;

function viewOf(r: Record<string, unknown>): SourceView {
  return {
    id: r.id as string,
    name: r.name as string,
    countyCode: (r.county_code as string | null) ?? null,
    enterpriseId: (r.enterprise_id as string | null) ?? null,
    enterpriseName: (r.enterprise_name as string | null) ?? null,
    keyPrefix: r.key_prefix as string,
    createdBy: r.created_by_name as string,
    createdAt: r.created_at as Date,
    revokedAt: (r.revoked_at as Date | null) ?? null,
    revokedBy: (r.revoked_by_name as string | null) ?? null,
  };
}

function scopeOf(r: { county_code: string | null; enterprise_id: string | null }): SourceScope {
  return r.county_code ? { countyCode: r.county_code } : { enterpriseId: r.enterprise_id! };
}

/** The name of the demo sources (demo mode): one per county, written by the demo seed, fed by the demo job. */
export const DEMO_SOURCE_NAME = '演示计量平台';

/** Telemetry sources and their API keys: the one writer of telemetry_source. */
@Injectable()
export class TelemetrySourcesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A new source scoped to a county or an enterprise; its key is in the answer and nowhere else. */
  async create(input: CreateSourceDto, actor: Actor): Promise<SourceView & { key: string }> {
    if (!actor.id) throw new DomainError('FORBIDDEN', '数据源须由工作人员创建');
    const name = input.name.trim();
    const problems = [];
    if (!name) problems.push({ field: 'name', message: '名称不能为空' });
    if (!!input.countyCode === !!input.enterpriseId)
      problems.push({ field: 'countyCode', message: '范围须且只须指定一个:区县代码或企业编号' });
    if (problems.length) throw DomainError.validation(problems);
    if (input.countyCode) {
      const [c] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM county WHERE code = $1`, [
        input.countyCode,
      ]);
      if (!c) throw DomainError.validation([{ field: 'countyCode', message: '区县不存在' }]);
    } else {
      const [e] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM enterprise WHERE id = $1`, [
        input.enterpriseId,
      ]);
      if (!e) throw DomainError.validation([{ field: 'enterpriseId', message: '企业不存在' }]);
    }
    const { key, hash, prefix } = newApiKey();
    return this.dataSource.transaction(async (m) => {
      const [{ id }] = await m.query<Array<{ id: string }>>(
        `INSERT INTO telemetry_source (name, county_code, enterprise_id, key_hash, key_prefix, created_by_id,
                                       created_by_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          name,
          input.countyCode ?? null,
          input.enterpriseId ?? null,
          hash,
          prefix,
          actor.id,
          actor.name ?? '',
          this.clock.now(),
        ],
      );
      await this.audit.record(
        {
          actor,
          action: 'telemetry.source.created',
          subjectType: 'telemetry-source',
          subjectId: id,
          data: {
            name,
            countyCode: input.countyCode ?? null,
            enterpriseId: input.enterpriseId ?? null,
            keyPrefix: prefix,
          },
        },
        m,
      );
      const [row] = await m.query<Array<Record<string, unknown>>>(`${SELECT_VIEW} WHERE s.id = $1`, [id]);
      return { ...viewOf(row), key };
    });
  }

  async list(): Promise<SourceView[]> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `${SELECT_VIEW} ORDER BY s.revoked_at IS NOT NULL, s.created_at DESC LIMIT 1000`,
    );
    return rows.map(viewOf);
  }

  /** Revokes the key at once: the next push with it is a 401. Revoking twice is a 409. */
  async revoke(id: string, actor: Actor): Promise<SourceView> {
    if (!isUuid(id)) throw DomainError.notFound('数据源');
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<Array<{ revoked_at: Date | null; name: string }>>(
        `SELECT revoked_at, name FROM telemetry_source WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row) throw DomainError.notFound('数据源');
      if (row.revoked_at) throw new DomainError('CONFLICT', '该数据源的密钥已吊销');
      await m.query(`UPDATE telemetry_source SET revoked_at = $2, revoked_by_name = $3 WHERE id = $1`, [
        id,
        this.clock.now(),
        actor.name ?? '',
      ]);
      await this.audit.record(
        {
          actor,
          action: 'telemetry.source.revoked',
          subjectType: 'telemetry-source',
          subjectId: id,
          data: { name: row.name },
        },
        m,
      );
      const [view] = await m.query<Array<Record<string, unknown>>>(`${SELECT_VIEW} WHERE s.id = $1`, [id]);
      return viewOf(view);
    });
  }

  /** The unrevoked source of an `Authorization: Bearer` key; 401 API_KEY_INVALID otherwise. */
  async authenticate(authorization: string | undefined): Promise<AuthedSource> {
    const key = bearerKey(authorization);
    if (key) {
      const [row] = await this.dataSource.query<
        Array<{ id: string; name: string; county_code: string | null; enterprise_id: string | null }>
      >(
        `SELECT id, name, county_code, enterprise_id FROM telemetry_source WHERE key_hash = $1 AND revoked_at IS NULL`,
        [hashApiKey(key)],
      );
      if (row) return { id: row.id, name: row.name, scope: scopeOf(row) };
    }
    throw new DomainError(
      'API_KEY_INVALID',
      '需要有效的数据源密钥(Authorization: Bearer <密钥>),或密钥已吊销',
    );
  }

  /** A source by id, for an administrator's upload on its behalf (422 naming sourceId if none or revoked). */
  async forUpload(id: unknown): Promise<AuthedSource> {
    const row =
      typeof id === 'string' && isUuid(id)
        ? (
            await this.dataSource.query<
              Array<{
                id: string;
                name: string;
                county_code: string | null;
                enterprise_id: string | null;
                revoked_at: Date | null;
              }>
            >(`SELECT id, name, county_code, enterprise_id, revoked_at FROM telemetry_source WHERE id = $1`, [
              id,
            ])
          )[0]
        : undefined;
    if (!row)
      throw DomainError.validation([{ field: 'sourceId', message: '请指定数据源(表单字段 sourceId)' }]);
    if (row.revoked_at)
      throw DomainError.validation([{ field: 'sourceId', message: '该数据源的密钥已吊销' }]);
    return { id: row.id, name: row.name, scope: scopeOf(row) };
  }

  /**
   * The demo seed's sources (demo mode), in the seed's transaction: a county-scoped 演示计量平台 for each county
   * that has never had one (a revoked one stays revoked). Their keys are random and shown to no one: the demo
   * job writes its readings itself. Returns the counties given a source.
   */
  async ensureDemoSources(
    m: EntityManager,
    countyCodes: string[],
    createdBy: { id: string; name: string },
  ): Promise<string[]> {
    if (countyCodes.length === 0) return [];
    const keys = countyCodes.map(() => newApiKey());
    const rows = await m.query<Array<{ county_code: string }>>(
      `INSERT INTO telemetry_source (name, county_code, key_hash, key_prefix, created_by_id, created_by_name, created_at)
       SELECT $1, u.code, u.hash, u.prefix, $5, $6, $7
         FROM unnest($2::varchar[], $3::varchar[], $4::varchar[]) AS u(code, hash, prefix)
        WHERE EXISTS (SELECT 1 FROM county c WHERE c.code = u.code)
          AND NOT EXISTS (SELECT 1 FROM telemetry_source s WHERE s.county_code = u.code AND s.name = $1)
       RETURNING county_code`,
      [
        DEMO_SOURCE_NAME,
        countyCodes,
        keys.map((k) => k.hash),
        keys.map((k) => k.prefix),
        createdBy.id,
        createdBy.name,
        this.clock.now(),
      ],
    );
    return rows.map((r) => r.county_code).sort();
  }

  /** The demo sources not revoked, by county: where the demo job writes. */
  async demoSources(): Promise<Map<string, string>> {
    const rows = await this.dataSource.query<Array<{ id: string; county_code: string }>>(
      `SELECT DISTINCT ON (county_code) id, county_code FROM telemetry_source
        WHERE name = $1 AND county_code IS NOT NULL AND revoked_at IS NULL
        ORDER BY county_code, created_at`,
      [DEMO_SOURCE_NAME],
    );
    return new Map(rows.map((r) => [r.county_code, r.id]));
  }
}
