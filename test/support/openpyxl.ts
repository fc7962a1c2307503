import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Debian's python3 with python3-openpyxl (installed by .ci/run): `python3` on PATH may be another Python without it,
 * so the path is explicit.
 */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export interface OpenpyxlColumn {
  /** openpyxl's data types of the filled cells: 'n' number, 'd' date, 's' text. */
  types: string[];
  formats: string[];
  /** The numbers summed, as a spreadsheet's SUM would. */
  sum: number;
  /** Dates as ISO 8601 without a zone (the wall time the cell shows). */
  values: Array<string | number | boolean>;
}

export interface OpenpyxlSheet {
  name: string;
  state: 'visible' | 'hidden' | 'veryHidden';
  header: Array<string | null>;
  columns: Record<string, OpenpyxlColumn>;
  validations: Array<{
    type: string;
    formula1: string;
    sqref: string;
    columns: string[];
    allowBlank: boolean;
  }>;
}

/** What openpyxl (not our reader, nor exceljs) sees in a workbook: test/support/xlsx-cells.py. */
export async function openpyxlCells(buffer: Buffer, headerRow = 1): Promise<{ sheets: OpenpyxlSheet[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'xlsx-cells-'));
  try {
    const file = join(dir, 'book.xlsx');
    await writeFile(file, buffer);
    const { stdout } = await promisify(execFile)(
      DEBIAN_PYTHON,
      [join(__dirname, 'xlsx-cells.py'), file, String(headerRow)],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    return JSON.parse(stdout) as { sheets: OpenpyxlSheet[] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
