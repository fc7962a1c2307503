import { ALL_COUNTIES, type CountyScope, scopeCountiesParam } from '../auth/county-scope';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { type AuditRecord, AuditService } from '../audit/audit.service';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { creditCodeCheckChar } from './credit-code.rules';
import { Enterprise } from './enterprise.entity';
import { EnterpriseImport } from './enterprise-import.entity';
import { diff, toEnterpriseInput, toMeasureInput } from './enterprise.mapper';
import { validateEnterpriseInput } from './enterprise.rules';
import { ACTION_NAMES, CONTROL_TAGS, GRADE_NAMES, VERIFICATION_NAMES } from './enterprise.types';
import { EnterprisesService } from './enterprises.service';
import { PlanMeasure } from './plan.entity';
import { checkPlan, type PlanWarning } from './plan.rules';
import {
  COLUMNS,
  fieldLabel,
  headerOf,
  locateError,
  type ParsedEnterprise,
  ReductionListParser,
  toRows,
} from './reduction-list.layout';
import { replacePlans, upsertEnterprises } from './reduction-list.writer';
import { detectFormat, eachRow, type SheetFormat, sheetWriter } from './spreadsheet.io';
import { xlsxLimits } from './xlsx-rows.reader';

export interface ImportResult {
  importId: string;
  imported: number;
  updated: number;
  measures: number;
  /** Accepted problems, per spreadsheet row: the row of the measure it points at, else the enterprise's first row. */
  warnings: ImportWarning[];
}

export interface ImportWarning extends Omit<PlanWarning, 'measureIndex'> {
  row: number;
  creditCode: string;
}

/** One refused cell: row, column key (`field`), its Chinese header (`column`) and the message naming both. */
export interface ImportError extends FieldError {
  column: string;
}

/** Errors listed in one 422 at most; the message says how many more there were. */
const MAX_REPORTED_ERRORS = 1000;

@Injectable()
export class ReductionListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly enterprises: EnterprisesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * All or nothing: every row is checked first; any error gives a 422 listing them by row and column and
   * writes nothing. Otherwise enterprises are created or updated (matched by credit code) and each gets a
   * new current plan version, in one transaction with the audit entries.
   */
  async importFile(
    file: { buffer: Buffer; originalname: string; size: number },
    actor: Actor,
  ): Promise<ImportResult> {
    if (file.size > this.config.importMaxBytes) {
      throw new DomainError(
        'PAYLOAD_TOO_LARGE',
        `文件大小超过${Math.round(this.config.importMaxBytes / 1048576)} MB 的上限`,
        [{ field: 'file', message: '文件过大' }],
      );
    }
    const format = detectFormat(file.buffer, file.originalname);
    const errors: Array<FieldError & { path?: string }> = [];
    const parser = new ReductionListParser();
    const { rows } = await eachRow(
      file.buffer,
      format,
      this.config.importMaxRows,
      (row, cells) => parser.push(row, cells),
      errors,
      xlsxLimits(this.config.importMaxBytes),
    );
    errors.push(...parser.errors);
    if (!errors.some((e) => e.row === 1) && parser.enterprises.length === 0) {
      errors.push({ row: 2, field: 'file', message: '文件中没有企业数据' });
    }
    const rules = await this.enterprises.currentRules();
    const refs = await this.enterprises.referenceSets();
    const warnings: ImportResult['warnings'] = [];
    // The same checks as POST /api/enterprises and PUT …/plan (lengths, counts, ranges, addresses, plan rules),
    // each error pointed at its row and column; `field` keeps the full path for its label.
    for (const e of parser.enterprises) {
      for (const problem of validateEnterpriseInput(e.input, refs))
        errors.push({ ...locateError(e, problem.field), message: problem.message, path: problem.field });
      const check = checkPlan({
        grade: e.input.grade,
        protected: e.input.protected,
        baseline: e.input.baseline,
        season: e.season,
        measures: e.measures,
        levels: rules.levels,
        lines: e.input.lines,
        gradeMinimums: rules.gradeMinimums,
      });
      for (const problem of check.errors)
        errors.push({ ...locateError(e, problem.field), message: problem.message, path: problem.field });
      // The row is kept: a warning only points at it, like the errors do ("第5行 …").
      for (const { measureIndex, ...warning } of check.warnings) {
        const row = (measureIndex === null ? undefined : e.measureRows[measureIndex]) ?? e.row;
        warnings.push({
          row,
          creditCode: e.input.creditCode,
          ...warning,
          message: `第${row}行 ${warning.message}`,
        });
      }
    }
    if (errors.length) {
      errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
      const shown = errors.slice(0, MAX_REPORTED_ERRORS).map(describe);
      const more = errors.length - shown.length;
      throw new DomainError(
        'VALIDATION_FAILED',
        `导入失败,未写入任何数据:共${errors.length}处错误${more > 0 ? `(仅列出前${MAX_REPORTED_ERRORS}处)` : ''}`,
        shown,
        undefined,
        { errors: shown },
      );
    }
    return this.write(
      parser.enterprises,
      { filename: file.originalname, format, sha256: sha256(file.buffer), rows, warnings },
      actor,
    );
  }

  /** An accepted upload as the console shows it after the redirect: its counts and its row warnings. */
  async importRecord(
    id: string,
  ): Promise<{ imported: number; updated: number; measures: number; warnings: ImportWarning[] } | null> {
    if (!isUuid(id)) return null;
    const record = await this.dataSource.getRepository(EnterpriseImport).findOneBy({ id });
    if (!record) return null;
    return {
      imported: record.created,
      updated: record.updated,
      measures: record.measures,
      // Imports recorded before warnings had a row kind carry {row, creditCode, message} only.
      warnings: record.warnings as ImportWarning[],
    };
  }

  private async write(
    items: ParsedEnterprise[],
    meta: {
      filename: string;
      format: SheetFormat;
      sha256: string;
      rows: number;
      warnings: ImportResult['warnings'];
    },
    actor: Actor,
  ): Promise<ImportResult> {
    const season = this.enterprises.currentSeason();
    return this.dataSource.transaction(async (m) => {
      const codes = items.map((i) => i.input.creditCode);
      const existing = await m
        .getRepository(Enterprise)
        .createQueryBuilder('e')
        .where('e.credit_code = ANY(:codes)', { codes })
        .getMany();
      const before = new Map(existing.map((e) => [e.creditCode, toEnterpriseInput(e)]));
      const record = await m.save(
        m.create(EnterpriseImport, {
          filename: meta.filename.slice(0, 255),
          format: meta.format,
          sha256: meta.sha256,
          rows: meta.rows,
          created: items.length - existing.length,
          updated: existing.length,
          measures: items.reduce((n, i) => n + i.measures.length, 0),
          warnings: meta.warnings,
          createdBy: actor.name,
        }),
      );
      const ids = await upsertEnterprises(
        m,
        items.map((i) => i.input),
      );
      const versions = await replacePlans(
        m,
        items.map((i) => ({
          enterpriseId: ids.get(i.input.creditCode)!.id,
          season: i.season ?? season,
          measures: i.measures,
        })),
        { source: 'IMPORT', importId: record.id, createdBy: actor.name },
      );
      await this.audit.record(
        [
          {
            actor,
            action: 'enterprise.import',
            subjectType: 'enterprise_import',
            subjectId: record.id,
            data: {
              filename: record.filename,
              format: meta.format,
              sha256: meta.sha256,
              rows: meta.rows,
              created: record.created,
              updated: record.updated,
              measures: record.measures,
              warnings: meta.warnings.length,
            },
          },
          ...items.map((i): AuditRecord => {
            const id = ids.get(i.input.creditCode)!.id;
            const prior = before.get(i.input.creditCode);
            return {
              actor,
              action: prior ? 'enterprise.updated' : 'enterprise.created',
              subjectType: 'enterprise',
              subjectId: id,
              data: {
                importId: record.id,
                creditCode: i.input.creditCode,
                ...(prior ? { changes: diff(prior, i.input) } : { after: i.input }),
                planVersion: versions.get(id)!.version,
                measures: i.measures.length,
              },
            };
          }),
        ],
        m,
      );
      return {
        importId: record.id,
        imported: record.created,
        updated: record.updated,
        measures: record.measures,
        warnings: meta.warnings,
      };
    });
  }

  /**
   * Streams the current list (non-archived enterprises with their current plans) in the import layout,
   * a page of enterprises at a time.
   */
  /** The reduction list, every enterprise of the caller's counties (a county officer's export is their own). */
  async exportTo(format: SheetFormat, out: Writable, scope: CountyScope = ALL_COUNTIES): Promise<void> {
    const counties = scopeCountiesParam(scope);
    const writer = sheetWriter(format, out, { instructions: instructions() });
    const PAGE = 1000;
    let after = '';
    for (;;) {
      const page = await this.dataSource
        .getRepository(Enterprise)
        .createQueryBuilder('e')
        .where('e.archived = false AND e.credit_code > :after', { after })
        .andWhere(counties ? 'e.county_code = ANY(:counties)' : 'TRUE', { counties })
        .orderBy('e.credit_code', 'ASC')
        .take(PAGE)
        .getMany();
      if (page.length === 0) break;
      const plans = await this.dataSource.query<
        Array<{ enterprise_id: string; season: string; version_id: string }>
      >(
        'SELECT enterprise_id, season, id AS version_id FROM plan_version WHERE is_current AND enterprise_id = ANY($1::uuid[])',
        [page.map((e) => e.id)],
      );
      const measures = await this.dataSource
        .getRepository(PlanMeasure)
        .createQueryBuilder('m')
        .where('m.plan_version_id = ANY(:ids)', { ids: plans.map((p) => p.version_id) })
        .orderBy('m.plan_version_id')
        .addOrderBy('m.seq')
        .getMany();
      const byVersion = new Map<string, PlanMeasure[]>();
      for (const measure of measures)
        byVersion.set(measure.planVersionId, [...(byVersion.get(measure.planVersionId) ?? []), measure]);
      const planOf = new Map(plans.map((p) => [p.enterprise_id, p]));
      for (const e of page) {
        const plan = planOf.get(e.id);
        for (const row of toRows(
          toEnterpriseInput(e),
          plan?.season ?? null,
          (plan ? (byVersion.get(plan.version_id) ?? []) : []).map(toMeasureInput),
        )) {
          await writer.write(row);
        }
      }
      after = page[page.length - 1].creditCode;
    }
    await writer.end();
  }

  /** The layout with one example enterprise, and (XLSX) a sheet explaining each column and code. */
  async templateTo(format: SheetFormat, out: Writable): Promise<void> {
    const writer = sheetWriter(format, out, { instructions: instructions() });
    const example = toRows(
      {
        creditCode: `91141100MA0K00001${creditCodeCheckChar('91141100MA0K00001')}`,
        name: '示例焦化有限公司',
        industry: 'COKING',
        countyCode: '141181',
        address: '孝义市示例工业园',
        longitude: 111.78,
        latitude: 37.14,
        grade: 'B',
        protected: false,
        controlTags: [],
        contacts: [{ name: '张三', role: '环保负责人', email: 'env@example.cn', phone: '13800000000' }],
        lines: [{ code: 'JL1', name: '5.5米焦炉', capacity: 1000000, unit: 't/a' }],
        baseline: { so2: 300, nox: 900, pm: 150, vocs: 80 },
      },
      this.enterprises.currentSeason(),
      [
        {
          level: 'YELLOW',
          line: 'JL1',
          action: 'EXTEND_COKING_HOURS',
          params: { hours: 36 },
          description: '延长结焦时间至36小时',
          reduction: { so2: 60, nox: 180, pm: 30, vocs: 16 },
          verification: 'DCS',
        },
        {
          level: 'ORANGE',
          line: 'JL1',
          action: 'EXTEND_COKING_HOURS',
          params: { hours: 48 },
          description: '延长结焦时间至48小时',
          reduction: { so2: 100, nox: 300, pm: 50, vocs: 27 },
          verification: 'DCS',
        },
        {
          level: 'RED',
          line: 'JL1',
          action: 'STOP_SHARE',
          params: { share: 50, unit: '炭化室' },
          description: '停止装煤50%炭化室',
          reduction: { so2: 150, nox: 450, pm: 75, vocs: 40 },
          verification: 'POWER_SUBMETER',
        },
      ],
    );
    for (const row of example) await writer.write(row);
    await writer.end();
  }
}

/** An import error as people read it: "第3行 联系人邮箱(第1个):…", with the column's Chinese header. */
function describe(e: FieldError & { path?: string }): ImportError {
  const column = fieldLabel(e.path ?? e.field);
  return {
    row: e.row,
    field: e.field,
    column,
    message: e.row === undefined ? e.message : `第${e.row}行 ${column}:${e.message}`,
  };
}

const sha256 = (buffer: Buffer): string => createHash('sha256').update(buffer).digest('hex');

/** The 填写说明 sheet: each column, then the codes each coded column accepts. */
function instructions(): string[][] {
  const codes = (names: Record<string, string>) =>
    Object.entries(names)
      .map(([code, name]) => `${code}=${name}`)
      .join(';');
  return [
    ['吕梁市重污染天气应急减排清单 导入格式说明'],
    [
      '每行一条减排措施;同一企业的各行须连续且企业信息一致;没有措施的企业保留一行、措施列留空。以 = + - @ 开头的文本在导出时前加单引号,导入时自动去除。不接受公式单元格。',
    ],
    [],
    ['列', '说明'],
    ...COLUMNS.map((c) => [headerOf(c), COLUMN_HELP[c.key] ?? '']),
    [],
    ['绩效等级', codes(GRADE_NAMES)],
    ['措施类型', codes(ACTION_NAMES)],
    ['核查方式', codes(VERIFICATION_NAMES)],
    ['管控标签', CONTROL_TAGS.join(';')],
    ['预警级别', 'YELLOW=黄色;ORANGE=橙色;RED=红色(BLUE=蓝色 仅2017年四级标准)'],
  ];
}

const COLUMN_HELP: Partial<Record<(typeof COLUMNS)[number]['key'], string>> = {
  creditCode: '18位统一社会信用代码(GB 32100-2015,含校验位)',
  industry: '行业代码,见 GET /api/industries(如 COKING、CEMENT、OTHER)',
  countyCode: '区县行政区划代码(如 141102 离石区)',
  protected: '是/否;保障类企业须填写保障理由和核定最大负荷',
  controlTags: '多个用分号分隔',
  contacts:
    '姓名|职务|邮箱|电话,多个联系人用分号分隔;至少一个邮箱;内容本身含 ; | 或 \\ 时在其前加 \\(如 张\\;三),换行写作 \\n',
  lines: '编号|名称|产能|单位,多条用分号分隔;内容本身含 ; | 或 \\ 时在其前加 \\',
  season: '如 2025-2026;留空为当前清单年度',
  params:
    '名称=值,多个用分号分隔(值本身含分号时在其前加 \\;数字样的文字写在双引号内,如 unit="20"):LIMIT_PERCENT 用 percent;STOP_SHARE 用 share;EXTEND_COKING_HOURS 用 hours;FEED_CAP 用 tonsPerDay;CONCENTRATION_CAP 用 so2/nox/pm/vocs(mg/m³)',
  fromHour: '自预警响应开始第几小时起执行(含),留空为从开始',
  toHour: '执行到第几小时(不含),留空为至结束',
};
