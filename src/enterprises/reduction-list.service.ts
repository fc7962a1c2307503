import { ALL_COUNTIES, type CountyScope, scopeCountiesParam } from '../auth/county-scope';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { TableStatistics } from '../common/sql/table-statistics.service';
import type { Actor } from '../audit/actor';
import { type AuditRecord, AuditService } from '../audit/audit.service';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { creditCodeCheckChar } from './credit-code.rules';
import { Enterprise } from './enterprise.entity';
import { EnterpriseImport } from './enterprise-import.entity';
import { diff, toEnterpriseInput, toMeasureInput } from './enterprise.mapper';
import {
  classifyEnterprise,
  countKinds,
  type DisplayNames,
  importDigest,
  importDigester,
  type IncomingEnterprise,
  type PreviewRow,
  type StoredEnterprise,
} from './import-preview.rules';
import { validateEnterpriseInput } from './enterprise.rules';
import {
  ACTION_NAMES,
  CONTROL_TAGS,
  GRADE_NAMES,
  type MeasureInput,
  VERIFICATION_NAMES,
} from './enterprise.types';
import { EnterprisesService } from './enterprises.service';
import { PlanMeasure } from './plan.entity';
import { checkPlan, type PlanWarning } from './plan.rules';
import {
  COLUMNS,
  dropdownLists,
  fieldLabel,
  headerOf,
  locateError,
  type ParsedEnterprise,
  ReductionListParser,
  toRows,
} from './reduction-list.layout';
import { replacePlans, upsertEnterprises } from './reduction-list.writer';
import {
  detectFormat,
  eachRow,
  type SheetFormat,
  sheetWriter,
  type XlsxWriterOptions,
} from './spreadsheet.io';
import { Industry } from './industry.entity';
import { County } from '../regions/county.entity';
import { xlsxLimits } from './xlsx-rows.reader';

export interface ImportResult {
  /** null when nothing changed: then nothing is written, not even the import's record or its audit entry. */
  importId: string | null;
  imported: number;
  updated: number;
  /** Enterprises identical to what is stored: no write, no plan version, no audit entry. */
  unchanged: number;
  /** Measures in the plan versions written (new enterprises and changed plans). */
  measures: number;
  /** Accepted problems, per spreadsheet row: the row of the measure it points at, else the enterprise's first row. */
  warnings: ImportWarning[];
}

/** What an import of the file would do now, written nowhere (`?dryRun=true`, and the console's preview). */
export interface ImportPreview {
  added: number;
  updated: number;
  unchanged: number;
  measures: number;
  rows: PreviewRow[];
  /** Row errors (at most 1,000; `errorCount` says how many in all): with any, the import would be refused. */
  errors: ImportError[];
  errorCount: number;
  warnings: ImportWarning[];
  /** Pass it back as `expectedDigest` to import exactly what was previewed; null when there are errors. */
  digest: string | null;
}

export interface ImportWarning extends Omit<PlanWarning, 'measureIndex'> {
  row: number;
  creditCode: string;
}

/** One refused cell: row, column key (`field`), its Chinese header (`column`) and the message naming both. */
export interface ImportError extends FieldError {
  column: string;
}

export interface Upload {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/** An upload read and checked, nothing looked up yet. */
interface ReadUpload {
  filename: string;
  format: SheetFormat;
  sha256: string;
  rows: number;
  /** Every enterprise of the file; empty when they went to `chunks.write` instead. */
  items: ParsedEnterprise[];
  errors: ImportError[];
  warnings: ImportWarning[];
}

/** What an import has done so far, chunk by chunk, in its transaction. */
interface ImportProgress {
  counts: Record<'added' | 'updated' | 'unchanged', number>;
  measures: number;
  /** Written with the first changed enterprise: an import that changes nothing records nothing. */
  record: EnterpriseImport | null;
  format: SheetFormat;
  sha256: string;
  digest: ReturnType<typeof importDigester>;
}

/** One enterprise of the file with what it would change. */
interface Planned {
  item: ParsedEnterprise;
  incoming: IncomingEnterprise;
  stored: StoredEnterprise | undefined;
  row: PreviewRow;
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
    private readonly statistics: TableStatistics,
  ) {}

  /**
   * All or nothing: every row is checked first; any error gives a 422 listing them by row and column and
   * writes nothing. Otherwise new credit codes create enterprises and known ones are compared with what is
   * stored: only changed fields update the enterprise, only a changed plan adds a plan version, and an
   * enterprise identical to the file is left alone (no version, no audit entry); one transaction with the
   * audit entries. With `expectedDigest` (from a preview) the import is refused if it would now do anything
   * other than what was previewed.
   */
  async importFile(
    file: Upload,
    actor: Actor,
    opts: { expectedDigest?: string; within?: (m: EntityManager) => Promise<void> } = {},
  ): Promise<ImportResult> {
    this.checkSize(file);
    const format = detectFormat(file.buffer, file.originalname);
    const fileSha256 = sha256(file.buffer);
    // The file is planned and written a chunk of enterprises at a time while it is read (issue 19: 100,000
    // enterprises within 1 GiB), all in one transaction: an error in any row, however late, rolls back every
    // chunk written before it, so nothing is half-imported.
    const result = await this.dataSource.transaction(async (m) => {
      // Imports one at a time, so two uploads of one new enterprise cannot both "create" it.
      await m.query("SELECT pg_advisory_xact_lock(hashtext('haze:enterprise-import'))");
      const progress: ImportProgress = {
        counts: { added: 0, updated: 0, unchanged: 0 },
        measures: 0,
        record: null,
        format,
        sha256: fileSha256,
        digest: importDigester(fileSha256),
      };
      const read = await this.readUpload(file, {
        size: this.config.importChunkEnterprises,
        write: (items) => this.writeChunk(m, items, file, actor, progress),
      });
      if (read.errors.length) {
        const shown = read.errors.slice(0, MAX_REPORTED_ERRORS);
        const more = read.errors.length - shown.length;
        throw new DomainError(
          'VALIDATION_FAILED',
          `导入失败,未写入任何数据:共${read.errors.length}处错误${more > 0 ? `(仅列出前${MAX_REPORTED_ERRORS}处)` : ''}`,
          shown,
          undefined,
          { errors: shown },
        );
      }
      return this.finishImport(m, read, actor, progress, opts);
    });
    // Committed: thousands of new rows the planner has not seen yet (TableStatistics).
    if (result.importId !== null) {
      this.statistics.analyzeSoon(['enterprise', 'plan_version', 'plan_measure', 'plan_start_reduction']);
    }
    return result;
  }

  /**
   * What importing the file would do now, as an import would work it out, writing nothing: the enterprises
   * added, updated (with the fields and measures that change) and unchanged, the row errors and warnings.
   * Set-based: the file's enterprises and their current plans are loaded in three queries.
   */
  async previewFile(file: Upload): Promise<ImportPreview> {
    const read = await this.readUpload(file);
    const industries = await this.dataSource.query<Array<{ code: string; name: string }>>(
      'SELECT code, name FROM industry',
    );
    const names = { industries: Object.fromEntries(industries.map((i) => [i.code, i.name])) };
    const planned = await this.plan(this.dataSource.manager, read.items, false, names);
    const rows = planned.map((p) => p.row);
    return {
      ...countKinds(rows),
      measures: planned.reduce((n, p) => n + (p.row.planChanged ? p.item.measures.length : 0), 0),
      rows,
      errors: read.errors.slice(0, MAX_REPORTED_ERRORS),
      errorCount: read.errors.length,
      warnings: read.warnings,
      digest: read.errors.length ? null : digestOf(read, planned),
    };
  }

  private checkSize(file: Upload): void {
    if (file.size > this.config.importMaxBytes) {
      throw new DomainError(
        'PAYLOAD_TOO_LARGE',
        `文件大小超过${Math.round(this.config.importMaxBytes / 1048576)} MB 的上限`,
        [{ field: 'file', message: '文件过大' }],
      );
    }
  }

  /**
   * Reads the file and runs every check on its rows; file-level problems (size, type, encoding) throw. Each
   * enterprise is checked as soon as its rows are read. With `chunks`, the checked enterprises are handed to
   * `chunks.write` `chunks.size` at a time while the file is read, and only while no row has an error (after
   * one, the rest of the file is still checked, for the list of errors, but nothing more is handed over);
   * without, they are all kept in `items`.
   */
  private async readUpload(
    file: Upload,
    chunks?: { size: number; write: (items: ParsedEnterprise[]) => Promise<void> },
  ): Promise<ReadUpload> {
    this.checkSize(file);
    const format = detectFormat(file.buffer, file.originalname);
    const rules = await this.enterprises.currentRules();
    const refs = await this.enterprises.referenceSets();
    const errors: Array<FieldError & { path?: string }> = [];
    // The domain checks' errors apart, so that one row's errors keep their order: cells, rows, then checks.
    const checks: Array<FieldError & { path?: string }> = [];
    const warnings: ImportWarning[] = [];
    const items: ParsedEnterprise[] = [];
    let enterprises = 0;
    const parser = new ReductionListParser((e) => {
      enterprises++;
      this.checkEnterprise(e, rules, refs, checks, warnings);
      items.push(e);
    });
    const clean = () => errors.length + parser.errors.length + checks.length === 0;
    const handOver = async (least: number) => {
      if (!chunks) return;
      if (!clean()) items.length = 0;
      else if (items.length >= least) await chunks.write(items.splice(0));
    };
    const { rows } = await eachRow(
      file.buffer,
      format,
      this.config.importMaxRows,
      (row, cells) => parser.push(row, cells),
      errors,
      xlsxLimits(this.config.importMaxBytes),
      chunks ? () => handOver(chunks.size) : undefined,
    );
    parser.finish();
    errors.push(...parser.errors, ...checks);
    if (!errors.some((e) => e.row === 1) && enterprises === 0) {
      errors.push({ row: 2, field: 'file', message: '文件中没有企业数据' });
    }
    await handOver(1);
    errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    return {
      filename: file.originalname,
      format,
      sha256: sha256(file.buffer),
      rows,
      items,
      errors: errors.map(describe),
      warnings,
    };
  }

  /**
   * The same checks as POST /api/enterprises and PUT …/plan (lengths, counts, ranges, addresses, plan rules) on
   * one enterprise of the file, each error pointed at its row and column; `path` keeps the full path for its label.
   */
  private checkEnterprise(
    e: ParsedEnterprise,
    rules: Awaited<ReturnType<EnterprisesService['currentRules']>>,
    refs: Awaited<ReturnType<EnterprisesService['referenceSets']>>,
    errors: Array<FieldError & { path?: string }>,
    warnings: ImportWarning[],
  ): void {
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

  /** Each enterprise of the file against what is stored (optionally locking the stored rows). */
  private async plan(
    m: EntityManager,
    items: ParsedEnterprise[],
    lock: boolean,
    names?: DisplayNames,
  ): Promise<Planned[]> {
    const stored = await this.loadStored(
      m,
      items.map((i) => i.input.creditCode),
      lock,
    );
    const season = this.enterprises.currentSeason();
    return items.map((item) => {
      const incoming: IncomingEnterprise = {
        row: item.row,
        input: item.input,
        season: item.season ?? season,
        measures: item.measures,
      };
      const prior = stored.get(item.input.creditCode);
      return { item, incoming, stored: prior, row: classifyEnterprise(incoming, prior, names) };
    });
  }

  /** The stored enterprises with these credit codes and their current plans: three queries, whatever the count. */
  private async loadStored(
    m: EntityManager,
    codes: string[],
    lock: boolean,
  ): Promise<Map<string, StoredEnterprise>> {
    const result = new Map<string, StoredEnterprise>();
    if (codes.length === 0) return result;
    const qb = m
      .getRepository(Enterprise)
      .createQueryBuilder('e')
      .where('e.credit_code = ANY(:codes)', { codes });
    if (lock) qb.setLock('pessimistic_write');
    const existing = await qb.getMany();
    if (existing.length === 0) return result;
    const plans = await m.query<
      Array<{ enterprise_id: string; id: string; version: number; season: string }>
    >(
      'SELECT enterprise_id, id, version, season FROM plan_version WHERE is_current AND enterprise_id = ANY($1::uuid[])',
      [existing.map((e) => e.id)],
    );
    const measures = plans.length
      ? await m
          .getRepository(PlanMeasure)
          .createQueryBuilder('pm')
          .where('pm.plan_version_id = ANY(:ids)', { ids: plans.map((p) => p.id) })
          .orderBy('pm.plan_version_id')
          .addOrderBy('pm.seq')
          .getMany()
      : [];
    const byVersion = new Map<string, MeasureInput[]>();
    for (const measure of measures) {
      const list = byVersion.get(measure.planVersionId) ?? [];
      list.push(toMeasureInput(measure));
      byVersion.set(measure.planVersionId, list);
    }
    const planOf = new Map(plans.map((p) => [p.enterprise_id, p]));
    for (const e of existing) {
      const plan = planOf.get(e.id);
      result.set(e.creditCode, {
        id: e.id,
        input: toEnterpriseInput(e),
        archived: e.archived,
        plan: plan
          ? { version: plan.version, season: plan.season, measures: byVersion.get(plan.id) ?? [] }
          : null,
      });
    }
    return result;
  }

  /** An accepted upload as the console shows it after the redirect: its counts and its row warnings. */
  async importRecord(id: string): Promise<{
    imported: number;
    updated: number;
    unchanged: number;
    measures: number;
    warnings: ImportWarning[];
  } | null> {
    if (!isUuid(id)) return null;
    const record = await this.dataSource.getRepository(EnterpriseImport).findOneBy({ id });
    if (!record) return null;
    return {
      imported: record.created,
      updated: record.updated,
      unchanged: record.unchanged,
      measures: record.measures,
      // Imports recorded before warnings had a row kind carry {row, creditCode, message} only.
      warnings: record.warnings as ImportWarning[],
    };
  }

  /**
   * One chunk of the file's enterprises against what is stored (their rows locked), written: enterprises that
   * change, plan versions for changed plans, an audit entry each. The import's record is written with the first
   * change, its counts at the end (`finishImport`).
   */
  private async writeChunk(
    m: EntityManager,
    items: ParsedEnterprise[],
    file: Upload,
    actor: Actor,
    progress: ImportProgress,
  ): Promise<void> {
    const planned = await this.plan(m, items, true);
    progress.digest.add(planned.map((p) => ({ creditCode: p.item.input.creditCode, stored: p.stored })));
    const counts = countKinds(planned.map((p) => p.row));
    for (const kind of ['added', 'updated', 'unchanged'] as const) progress.counts[kind] += counts[kind];
    const changed = planned.filter((p) => p.row.kind !== 'unchanged');
    if (changed.length === 0) return;
    const replanned = changed.filter((p) => p.row.planChanged);
    progress.measures += replanned.reduce((n, p) => n + p.item.measures.length, 0);
    const record = (progress.record ??= await m.save(
      m.create(EnterpriseImport, {
        filename: file.originalname.slice(0, 255),
        format: progress.format,
        sha256: progress.sha256,
        rows: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        measures: 0,
        warnings: [],
        createdBy: actor.name,
      }),
    ));
    const upserted = await upsertEnterprises(
      m,
      changed.filter((p) => p.row.enterpriseChanged).map((p) => p.item.input),
    );
    const idOf = (p: Planned): string => upserted.get(p.item.input.creditCode)?.id ?? p.stored!.id;
    const versions = replanned.length
      ? await replacePlans(
          m,
          replanned.map((p) => ({
            enterpriseId: idOf(p),
            season: p.incoming.season,
            measures: p.item.measures,
          })),
          { source: 'IMPORT', importId: record.id, createdBy: actor.name },
        )
      : new Map<string, { versionId: string; version: number }>();
    await this.audit.record(
      changed.map((p): AuditRecord => {
        const id = idOf(p);
        const prior = p.stored;
        return {
          actor,
          action: prior ? 'enterprise.updated' : 'enterprise.created',
          subjectType: 'enterprise',
          subjectId: id,
          data: {
            importId: record.id,
            creditCode: p.item.input.creditCode,
            ...(prior
              ? {
                  changes: diff(prior.input, p.item.input),
                  ...(prior.archived ? { restored: true } : {}),
                }
              : { after: p.item.input }),
            planVersion: versions.get(id)?.version ?? prior?.plan?.version ?? null,
            planChanged: p.row.planChanged,
            measures: p.item.measures.length,
          },
        };
      }),
      m,
    );
  }

  /**
   * After the last chunk: refused if it did other than what was previewed (`expectedDigest`), else the import's
   * record gets its counts and warnings, and its audit entry follows those of its enterprises.
   */
  private async finishImport(
    m: EntityManager,
    read: ReadUpload,
    actor: Actor,
    progress: ImportProgress,
    opts: { expectedDigest?: string; within?: (m: EntityManager) => Promise<void> },
  ): Promise<ImportResult> {
    if (opts.expectedDigest !== undefined && progress.digest.digest(read.warnings) !== opts.expectedDigest) {
      throw new DomainError(
        'IMPORT_PREVIEW_STALE',
        '预览之后数据已有变化(企业或方案被修改、文件已导入过或规则有变),未写入任何数据,请核对新的预览后再确认',
      );
    }
    await opts.within?.(m);
    const { counts, record } = progress;
    if (!record)
      return {
        importId: null,
        imported: 0,
        updated: 0,
        unchanged: counts.unchanged,
        measures: 0,
        warnings: read.warnings,
      };
    Object.assign(record, {
      rows: read.rows,
      created: counts.added,
      updated: counts.updated,
      unchanged: counts.unchanged,
      measures: progress.measures,
      warnings: read.warnings,
    });
    await m.save(record);
    await this.audit.record(
      {
        actor,
        action: 'enterprise.import',
        subjectType: 'enterprise_import',
        subjectId: record.id,
        data: {
          filename: record.filename,
          format: read.format,
          sha256: read.sha256,
          rows: read.rows,
          created: record.created,
          updated: record.updated,
          unchanged: record.unchanged,
          measures: record.measures,
          warnings: read.warnings.length,
          ...(opts.expectedDigest ? { digest: opts.expectedDigest } : {}),
        },
      },
      m,
    );
    return {
      importId: record.id,
      imported: record.created,
      updated: record.updated,
      unchanged: record.unchanged,
      measures: record.measures,
      warnings: read.warnings,
    };
  }

  /**
   * Streams the current list (non-archived enterprises with their current plans) in the import layout,
   * a page of enterprises at a time.
   */
  /** The reduction list, every enterprise of the caller's counties (a county officer's export is their own). */
  async exportTo(format: SheetFormat, out: Writable, scope: CountyScope = ALL_COUNTIES): Promise<void> {
    const counties = scopeCountiesParam(scope);
    const writer = sheetWriter(format, out, await this.xlsxOptions(format));
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

  /** The XLSX's 填写说明 and its dropdowns: the codes, the industries and the counties as stored. */
  private async xlsxOptions(format: SheetFormat): Promise<XlsxWriterOptions> {
    if (format === 'csv') return {};
    const [industries, counties] = await Promise.all([
      this.dataSource.getRepository(Industry).find({ order: { sortOrder: 'ASC', code: 'ASC' } }),
      this.dataSource.getRepository(County).find({ order: { sortOrder: 'ASC', code: 'ASC' } }),
    ]);
    return { instructions: instructions(), dropdowns: dropdownLists({ industries, counties }) };
  }

  /** The layout with one example enterprise, and (XLSX) a sheet explaining each column and code. */
  async templateTo(format: SheetFormat, out: Writable): Promise<void> {
    const writer = sheetWriter(format, out, await this.xlsxOptions(format));
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

/** The digest of what importing `read` would do, given what is stored now. */
function digestOf(read: ReadUpload, planned: Planned[]): string {
  return importDigest(
    read.sha256,
    planned.map((p) => ({ creditCode: p.item.input.creditCode, stored: p.stored })),
    read.warnings,
  );
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
      '每行一条减排措施;同一企业的各行须连续且企业信息一致;没有措施的企业保留一行、措施列留空。以 = + - @ 开头的文本在导出时前加单引号,导入时自动去除。不接受公式单元格。行业代码、区县代码、绩效等级、保障类、预警级别、措施类型、核查方式列可从下拉列表选择(也可填写中文名称);数值列为数字单元格。',
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
