// Reads one spreadsheet file with the import's reader and prints the outcome as JSON, for tests that run the
// reader in a process of its own (e.g. with a small heap, to prove a memory bound).
import { readFileSync } from 'node:fs';
import { readSheet } from '../../src/enterprises/spreadsheet.io';

async function main(): Promise<void> {
  const [file, format] = process.argv.slice(2);
  const buffer = readFileSync(file);
  let outcome: Record<string, unknown>;
  try {
    const { rows, errors } = await readSheet(buffer, format === 'csv' ? 'csv' : 'xlsx', 200_000);
    outcome = { read: rows.length, errors: errors.length };
  } catch (e) {
    const error = e as { code?: string; message?: string };
    outcome = { refused: error.code ?? 'ERROR', message: error.message };
  }
  // Peak resident memory of this process (KiB on Linux), buffers outside the JS heap included.
  outcome.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify(outcome));
}

void main();
