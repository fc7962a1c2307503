import { checkParts, type ParsedReading, pointRefOf } from './reading.rules';

/** The columns of a readings file, and `file` for what belongs to no column. */
export type FileColumn = 'creditCode' | 'point' | 'metric' | 'at' | 'value' | 'file';

export const FILE_COLUMN_NAMES: Record<FileColumn, string> = {
  creditCode: '信用代码',
  point: '计量点',
  metric: '指标',
  at: '时间',
  value: '数值',
  file: '文件',
};

const REQUIRED: FileColumn[] = ['creditCode', 'point', 'metric', 'at', 'value'];

/** Header texts each column also answers to (the codes, and the long name of the credit code). */
const ALIASES: Record<string, FileColumn> = {
  统一社会信用代码: 'creditCode',
  creditcode: 'creditCode',
  point: 'point',
  计量点编码: 'point',
  metric: 'metric',
  at: 'at',
  measuredat: 'at',
  value: 'value',
};

/** `第N行 列名：原因`, the way people read a refused row. */
export function rowMessage(row: number, column: FileColumn, reason: string): string {
  return `第${row}行 ${FILE_COLUMN_NAMES[column]}：${reason}`;
}

/** The column of each header cell (null for one we do not read), and what is missing or repeated. */
export function fileHeaderProblems(cells: string[]): {
  columns: Array<FileColumn | null>;
  problems: string[];
} {
  const byName = new Map<string, FileColumn>(Object.entries(ALIASES));
  for (const c of REQUIRED) byName.set(FILE_COLUMN_NAMES[c], c);
  const problems: string[] = [];
  const columns = cells.map(
    (cell) =>
      byName.get(
        cell
          .replace(/^\uFEFF/, '')
          .trim()
          .replace(/\s+/g, '')
          .toLowerCase(),
      ) ??
      byName.get(cell.trim()) ??
      null,
  );
  for (const c of REQUIRED) {
    const n = columns.filter((x) => x === c).length;
    if (n === 0) problems.push(`缺少列“${FILE_COLUMN_NAMES[c]}”`);
    if (n > 1) problems.push(`列“${FILE_COLUMN_NAMES[c]}”重复`);
  }
  return { columns, problems };
}

export type FileRowCheck =
  { ok: true; reading: ParsedReading } | { ok: false; column: FileColumn; reason: string };

/**
 * One data row of a readings file, by the same rules as the push API (`checkParts`); a time may have a space
 * instead of the T (what spreadsheets write), never a missing zone.
 */
export function fileRowCheck(
  columns: ReadonlyArray<FileColumn | null>,
  cells: string[],
  now: Date,
): FileRowCheck {
  const cell: Partial<Record<FileColumn, string>> = {};
  columns.forEach((c, i) => {
    if (c) cell[c] = (cells[i] ?? '').trim();
  });
  const credit = cell.creditCode ?? '';
  const ref = pointRefOf(credit, cell.point ?? '');
  if (typeof ref === 'string')
    return { ok: false, column: ref.startsWith('统一社会信用代码') ? 'creditCode' : 'point', reason: ref };
  if (!cell.value) return { ok: false, column: 'value', reason: '数值不能为空' };
  const at = (cell.at ?? '').replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2');
  const check = checkParts(ref, cell.metric ?? '', at, cell.value, now);
  if (check.ok) return check;
  const column: FileColumn =
    check.field === 'metric'
      ? 'metric'
      : check.field === 'at'
        ? 'at'
        : check.field === 'value'
          ? 'value'
          : 'point';
  return { ok: false, column, reason: check.reason };
}
