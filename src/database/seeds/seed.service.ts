import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../../audit/actor';
import { AuditService } from '../../audit/audit.service';
import { Role } from '../../auth/roles';
import { UsersService } from '../../auth/users.service';
import { readSeedJson } from '../../common/paths';
import { replacePlans, upsertEnterprises } from '../../enterprises/reduction-list.writer';
import { POLLUTANTS } from '../../rulesets/ruleset.types';
import { MeteringPointsService } from '../../telemetry/metering-points.service';
import { TelemetrySourcesService } from '../../telemetry/telemetry-sources.service';
import { StandingConditionsService } from '../../standing-conditions/standing-conditions.service';
import { demoStandingConditions, generateDemoList } from './demo-enterprises.generator';
import type { JurisdictionKind } from '../../regions/county.entity';
import type { RulesetDefinition, WarningLevel } from '../../rulesets/ruleset.types';

/** A city department; its demo address is used in demo mode only (outside it the admin enters the real one). */
interface DepartmentSeed {
  code: string;
  name: string;
  demoEmail: string;
}

interface CountySeed {
  code: string;
  name: string;
  nameEn: string;
  kind: JurisdictionKind;
  jointControlArea: boolean;
  bureauName: string;
  bureauEmail: string;
  bureauPhone: string;
}
interface IndustrySeed {
  code: string;
  name: string;
  nameEn: string;
  category: string;
  keyIndustry: boolean;
}
interface RulesetSeed {
  id: string;
  name: string;
  source: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  levels: WarningLevel[];
  definition: RulesetDefinition;
}

const DEMO_SEASON = '2025-2026';

export const DEMO_USERS: Array<{
  username: string;
  displayName: string;
  roles: Role[];
  countyCodes?: string[];
}> = [
  { username: 'duty', displayName: '值班员(演示)', roles: ['DUTY_OFFICER'] },
  { username: 'commander', displayName: '指挥部(演示)', roles: ['COMMANDER'] },
  { username: 'auditor', displayName: '审计员(演示)', roles: ['AUDITOR'] },
  { username: 'admin', displayName: '系统管理员(演示)', roles: ['ADMIN'] },
  // 石楼县: the county that falls short at RED in the demo inventory, so its officer has something to follow up.
  { username: 'county', displayName: '石楼县分局(演示)', roles: ['COUNTY_OFFICER'], countyCodes: ['141126'] },
];

export interface SeedReport {
  counties: number;
  industries: number;
  rulesetsAdded: string[];
  demoUsersAdded: string[];
  demoEnterprisesAdded: number;
  /** Demo metering points added (issue 17): on the first demo run, and for a demo enterprise that had none. */
  demoPointsAdded: number;
  /** Demo standing conditions added (issue 18): seed item 5's caps, once per enterprise that never had one. */
  demoConditionsAdded: number;
}

/**
 * Idempotent seeds. Reference data (counties, industries) is upserted from seeds/*.json; rulesets and city departments are
 * only added when missing, so an administrator's edits survive a re-run; demo users only in demo mode.
 */
@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly meteringPoints: MeteringPointsService,
    private readonly telemetrySources: TelemetrySourcesService,
    private readonly standingConditions: StandingConditionsService,
  ) {}

  async run(opts: { demo: boolean; demoPassword: string }): Promise<SeedReport> {
    const report = await this.seedReferenceData(opts.demo);
    if (opts.demo) {
      for (const demoUser of DEMO_USERS) {
        if (await this.users.ensure({ ...demoUser, password: opts.demoPassword }, SYSTEM_ACTOR)) {
          report.demoUsersAdded.push(demoUser.username);
        }
      }
      report.demoEnterprisesAdded = await this.seedDemoEnterprises();
      report.demoPointsAdded = await this.seedDemoTelemetry();
      report.demoConditionsAdded = await this.seedDemoStandingConditions();
    }
    this.logger.log(
      `seeded ${report.counties} counties, ${report.industries} industries, rulesets added: ${report.rulesetsAdded.join(', ') || 'none'}` +
        (opts.demo
          ? `, demo users added: ${report.demoUsersAdded.join(', ') || 'none'}, demo enterprises added: ${report.demoEnterprisesAdded}, demo metering points added: ${report.demoPointsAdded}, demo standing conditions added: ${report.demoConditionsAdded}`
          : ''),
    );
    return report;
  }

  /** The synthetic demo list and its inventory, once: only into a registry that has no enterprise yet. */
  private async seedDemoEnterprises(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query("SELECT pg_advisory_xact_lock(hashtext('haze:demo-enterprises'))");
      const [{ n }] = await m.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM enterprise');
      if (n > 0) return 0;
      const demo = generateDemoList();
      const ids = await upsertEnterprises(
        m,
        demo.enterprises.map((e) => e.input),
      );
      await replacePlans(
        m,
        demo.enterprises.map((e) => ({
          enterpriseId: ids.get(e.input.creditCode)!.id,
          season: DEMO_SEASON,
          measures: e.measures,
        })),
        { source: 'SEED', createdBy: 'system' },
      );
      const areas = [...demo.inventory.entries()];
      await m.query(
        `INSERT INTO emission_inventory (area_code, so2, nox, pm, vocs)
         SELECT * FROM unnest($1::varchar[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[])
         ON CONFLICT (area_code) DO NOTHING`,
        [areas.map(([code]) => code), ...POLLUTANTS.map((p) => areas.map(([, v]) => v[p]))],
      );
      await this.audit.record(
        {
          actor: SYSTEM_ACTOR,
          action: 'enterprise.demo-seeded',
          subjectType: 'enterprise',
          data: { enterprises: demo.enterprises.length, season: DEMO_SEASON },
        },
        m,
      );
      return demo.enterprises.length;
    });
  }

  /**
   * The demo enterprises' metering points and one demo source (演示计量平台) per county they are in, on every demo
   * start: only what is missing (an enterprise without points, a county that never had the source), so a re-run
   * adds nothing. Written by the telemetry module's writers, in one transaction of the seed.
   */
  private async seedDemoTelemetry(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query("SELECT pg_advisory_xact_lock(hashtext('haze:demo-telemetry'))");
      const demo = generateDemoList();
      const points = await this.meteringPoints.ensureDemoPoints(
        m,
        demo.enterprises.map((e) => ({ creditCode: e.input.creditCode, points: e.points })),
      );
      const counties = await m.query<Array<{ county_code: string }>>(
        `SELECT DISTINCT county_code FROM metering_point ORDER BY county_code`,
      );
      // The demo administrator creates the sources (a source names the person who made it).
      const [admin] = await m.query<Array<{ id: string; display_name: string }>>(
        `SELECT id, display_name FROM app_user WHERE username = 'admin'`,
      );
      const sources = admin
        ? await this.telemetrySources.ensureDemoSources(
            m,
            counties.map((c) => c.county_code),
            { id: admin.id, name: admin.display_name },
          )
        : [];
      if (points || sources.length)
        await this.audit.record(
          {
            actor: SYSTEM_ACTOR,
            action: 'telemetry.demo-seeded',
            subjectType: 'enterprise',
            data: { points, sources },
          },
          m,
        );
      return points;
    });
  }

  /**
   * Seed item 5's standing conditions for 山西中阳钢铁 and 山西福裕焦化 (after their points, whose outlets they name),
   * through the standing-conditions module's writer: only for an enterprise that never had a condition, so a restart
   * adds nothing and an administrator's edits stay. Audited once as `standing-conditions.demo-seeded`.
   */
  private async seedDemoStandingConditions(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query("SELECT pg_advisory_xact_lock(hashtext('haze:demo-standing-conditions'))");
      const added = await this.standingConditions.ensureDemoConditions(
        m,
        demoStandingConditions(generateDemoList()),
      );
      if (added)
        await this.audit.record(
          {
            actor: SYSTEM_ACTOR,
            action: 'standing-conditions.demo-seeded',
            subjectType: 'enterprise',
            data: { conditions: added },
          },
          m,
        );
      return added;
    });
  }

  private async seedReferenceData(demo: boolean): Promise<SeedReport> {
    const counties = readSeedJson<CountySeed[]>('counties.json');
    const industries = readSeedJson<IndustrySeed[]>('industries.json');
    const rulesets = readSeedJson<RulesetSeed[]>('rulesets.json');
    const departments = readSeedJson<DepartmentSeed[]>('departments.json');
    return this.dataSource.transaction(async (m) => {
      // Added when missing; an address already there (the admin's) stays, a missing one gets the demo address in demo mode.
      await m.query(
        `INSERT INTO department (code, name, email, sort_order)
         SELECT * FROM unnest($1::varchar[], $2::text[], $3::text[], $4::int[])
         ON CONFLICT (code) DO UPDATE SET email = COALESCE(department.email, EXCLUDED.email)`,
        [
          departments.map((d) => d.code),
          departments.map((d) => d.name),
          departments.map((d) => (demo ? d.demoEmail : null)),
          departments.map((_, i) => i + 1),
        ],
      );
      await m.query(
        `INSERT INTO county (code, name, name_en, kind, joint_control_area, sort_order, bureau_name, bureau_email, bureau_phone)
         SELECT * FROM unnest($1::varchar[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::int[], $7::text[], $8::text[], $9::text[])
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind,
           joint_control_area = EXCLUDED.joint_control_area, sort_order = EXCLUDED.sort_order,
           bureau_name = COALESCE(county.bureau_name, EXCLUDED.bureau_name), bureau_email = COALESCE(county.bureau_email, EXCLUDED.bureau_email),
           bureau_phone = COALESCE(county.bureau_phone, EXCLUDED.bureau_phone)`,
        [
          counties.map((c) => c.code),
          counties.map((c) => c.name),
          counties.map((c) => c.nameEn),
          counties.map((c) => c.kind),
          counties.map((c) => c.jointControlArea),
          counties.map((_, i) => i + 1),
          counties.map((c) => c.bureauName),
          counties.map((c) => c.bureauEmail),
          counties.map((c) => c.bureauPhone),
        ],
      );
      await m.query(
        `INSERT INTO industry (code, name, name_en, category, key_industry, sort_order)
         SELECT * FROM unnest($1::varchar[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::int[])
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, category = EXCLUDED.category,
           key_industry = EXCLUDED.key_industry, sort_order = EXCLUDED.sort_order`,
        [
          industries.map((c) => c.code),
          industries.map((c) => c.name),
          industries.map((c) => c.nameEn),
          industries.map((c) => c.category),
          industries.map((c) => c.keyIndustry),
          industries.map((_, i) => i + 1),
        ],
      );
      const added: Array<{ id: string }> = [];
      for (const r of rulesets) {
        const rows = await m.query<Array<{ id: string }>>(
          `INSERT INTO ruleset (id, name, source, effective_from, effective_to, levels, definition)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
          [r.id, r.name, r.source, r.effectiveFrom, r.effectiveTo, r.levels, JSON.stringify(r.definition)],
        );
        added.push(...rows);
      }
      if (added.length) {
        await this.audit.record(
          added.map((r) => ({
            actor: SYSTEM_ACTOR,
            action: 'ruleset.seeded',
            subjectType: 'ruleset',
            subjectId: r.id,
            data: { ...rulesets.find((s) => s.id === r.id) },
          })),
          m,
        );
      }
      return {
        counties: counties.length,
        industries: industries.length,
        rulesetsAdded: added.map((r) => r.id),
        demoUsersAdded: [],
        demoEnterprisesAdded: 0,
        demoPointsAdded: 0,
        demoConditionsAdded: 0,
      };
    });
  }
}
