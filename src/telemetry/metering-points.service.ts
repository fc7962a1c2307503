import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import type { MeteringPointsDto } from './dto/telemetry.dto';
import {
  METERING_POINT_KIND_NAMES,
  type MeteringPointInput,
  type MeteringPointKind,
  meteringPointProblems,
} from './metering-point.rules';

export interface MeteringPointView {
  id: string;
  kind: MeteringPointKind;
  kindName: string;
  code: string;
  name: string | null;
  normalPowerKw: number | null;
  limits: { so2: number | null; nox: number | null; pm: number | null; vocs: number | null };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function viewOf(r: Record<string, unknown>): MeteringPointView {
  const kind = r.kind as MeteringPointKind;
  return {
    id: r.id as string,
    kind,
    kindName: METERING_POINT_KIND_NAMES[kind] ?? kind,
    code: r.code as string,
    name: (r.name as string | null) ?? null,
    normalPowerKw: num(r.normal_power_kw),
    limits: { so2: num(r.limit_so2), nox: num(r.limit_nox), pm: num(r.limit_pm), vocs: num(r.limit_vocs) },
  };
}

/** Metering points of the enterprises' lines and outlets: the one writer of metering_point. */
@Injectable()
export class MeteringPointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private async enterprise(
    id: string,
  ): Promise<{ id: string; county_code: string; lines: Array<{ code: string }> }> {
    if (!isUuid(id)) throw DomainError.notFound('企业');
    const [e] = await this.dataSource.query<
      Array<{ id: string; county_code: string; lines: Array<{ code: string }> }>
    >(`SELECT id, county_code, lines FROM enterprise WHERE id = $1`, [id]);
    if (!e) throw DomainError.notFound('企业');
    return e;
  }

  async list(enterpriseId: string): Promise<MeteringPointView[]> {
    await this.enterprise(enterpriseId);
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT * FROM metering_point WHERE enterprise_id = $1 ORDER BY kind, code`,
      [enterpriseId],
    );
    return rows.map(viewOf);
  }

  /**
   * Replaces the enterprise's points with these (kept by code, so their readings stay theirs); a point left out
   * that has readings is refused (422), since its readings would lose their meaning.
   */
  async replace(enterpriseId: string, input: MeteringPointsDto, actor: Actor): Promise<MeteringPointView[]> {
    const e = await this.enterprise(enterpriseId);
    const lineCodes = (e.lines ?? []).map((l) => l.code);
    const problems = meteringPointProblems(input.points, lineCodes);
    if (problems.length) throw DomainError.validation(problems);
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT id FROM enterprise WHERE id = $1 FOR UPDATE`, [enterpriseId]);
      const codes = input.points.map((p) => p.code);
      const removed = await m.query<Array<{ id: string; code: string }>>(
        `SELECT id, code FROM metering_point WHERE enterprise_id = $1 AND NOT (code = ANY($2::text[]))`,
        [enterpriseId, codes],
      );
      if (removed.length) {
        const used = await m.query<Array<{ point_id: string }>>(
          `SELECT DISTINCT point_id FROM unnest($1::uuid[]) AS p(id)
             CROSS JOIN LATERAL (SELECT point_id FROM meter_reading WHERE point_id = p.id LIMIT 1) r`,
          [removed.map((r) => r.id)],
        );
        if (used.length) {
          const names = removed.filter((r) => used.some((u) => u.point_id === r.id)).map((r) => r.code);
          throw DomainError.validation([
            { field: 'points', message: `计量点 ${names.join('、')} 已有监测读数,不能删除` },
          ]);
        }
        await m.query(`DELETE FROM metering_point WHERE id = ANY($1::uuid[])`, [removed.map((r) => r.id)]);
      }
      for (const p of input.points) {
        await m.query(
          `INSERT INTO metering_point (enterprise_id, county_code, kind, code, name, normal_power_kw,
                                       limit_so2, limit_nox, limit_pm, limit_vocs, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
           ON CONFLICT (enterprise_id, code) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
             normal_power_kw = EXCLUDED.normal_power_kw, limit_so2 = EXCLUDED.limit_so2,
             limit_nox = EXCLUDED.limit_nox, limit_pm = EXCLUDED.limit_pm, limit_vocs = EXCLUDED.limit_vocs,
             county_code = EXCLUDED.county_code, updated_at = EXCLUDED.updated_at`,
          [
            enterpriseId,
            e.county_code,
            p.kind,
            p.code,
            p.name?.trim() || null,
            p.normalPowerKw ?? null,
            p.limits?.so2 ?? null,
            p.limits?.nox ?? null,
            p.limits?.pm ?? null,
            p.limits?.vocs ?? null,
            now,
          ],
        );
      }
      await this.audit.record(
        {
          actor,
          action: 'telemetry.points.replaced',
          subjectType: 'enterprise',
          subjectId: enterpriseId,
          data: { points: input.points, removed: removed.map((r) => r.code) },
        },
        m,
      );
      const rows = await m.query<Array<Record<string, unknown>>>(
        `SELECT * FROM metering_point WHERE enterprise_id = $1 ORDER BY kind, code`,
        [enterpriseId],
      );
      return rows.map(viewOf);
    });
  }

  /**
   * The demo seed's points (demo mode), in the seed's transaction: set-based, for the enterprises (by credit code)
   * that have no point yet and are not archived, a line point only for a line the enterprise still has. A re-run
   * adds nothing; an enterprise whose points the administrator has set keeps them. Returns how many were added.
   */
  async ensureDemoPoints(
    m: EntityManager,
    enterprises: Array<{ creditCode: string; points: MeteringPointInput[] }>,
  ): Promise<number> {
    const rows = enterprises.flatMap((e) => e.points.map((p) => ({ creditCode: e.creditCode, ...p })));
    if (rows.length === 0) return 0;
    const [{ n }] = await m.query<Array<{ n: number }>>(
      `WITH ins AS (
         INSERT INTO metering_point (enterprise_id, county_code, kind, code, name, normal_power_kw,
                                     limit_so2, limit_nox, limit_pm, limit_vocs, created_at, updated_at)
         SELECT e.id, e.county_code, u.kind, u.code, u.name, u.kw, u.so2, u.nox, u.pm, u.vocs, $10, $10
           FROM unnest($1::varchar[], $2::text[], $3::varchar[], $4::text[], $5::numeric[], $6::numeric[],
                       $7::numeric[], $8::numeric[], $9::numeric[])
                AS u(credit_code, kind, code, name, kw, so2, nox, pm, vocs)
           JOIN enterprise e ON e.credit_code = u.credit_code AND NOT e.archived
          WHERE NOT EXISTS (SELECT 1 FROM metering_point p WHERE p.enterprise_id = e.id)
            AND (u.kind <> 'LINE_POWER' OR e.lines @> jsonb_build_array(jsonb_build_object('code', u.code)))
         ON CONFLICT (enterprise_id, code) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [
        rows.map((r) => r.creditCode),
        rows.map((r) => r.kind),
        rows.map((r) => r.code),
        rows.map((r) => r.name ?? null),
        rows.map((r) => r.normalPowerKw ?? null),
        rows.map((r) => r.limits?.so2 ?? null),
        rows.map((r) => r.limits?.nox ?? null),
        rows.map((r) => r.limits?.pm ?? null),
        rows.map((r) => r.limits?.vocs ?? null),
        this.clock.now(),
      ],
    );
    return n;
  }
}
