// `npm run build && BENCH_RUNS=5 node bench/run-series.mjs`: runs the default bench (bench/run-bench.mjs, with this
// environment: BENCH_DATABASE_URL, BENCH_ACK_SECONDS, …) BENCH_RUNS times (default 5) one after the other, then
// prints min / median / max of each target figure (issue 19's `targets` of bench/results/latest.json) and writes
// every run's figures with that spread to bench/results/runs.json. It does not build: build once before.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const latest = path.join(root, 'bench', 'results', 'latest.json');

function runOnce(i) {
  return new Promise((resolve, reject) => {
    const log = path.join(root, 'bench', 'results', `run-${i + 1}.log`);
    const out = fs.openSync(log, 'w');
    const p = spawn(process.execPath, ['bench/run-bench.mjs'], { cwd: root, stdio: ['ignore', out, out] });
    p.on('exit', (code) => {
      fs.closeSync(out);
      if (code !== 0) return reject(new Error(`run ${i + 1} failed (exit ${code}): see ${log}`));
      resolve(JSON.parse(fs.readFileSync(latest, 'utf8')));
    });
  });
}

const median = (sorted) =>
  sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;

async function main() {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS: ${process.env.BENCH_RUNS}`);
  fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await runOnce(i);
    runs.push({
      at: r.at,
      loadAverageAtStart: r.machine.loadAverageAtStart,
      loadAverageAtEnd: r.machine.loadAverageAtEnd,
      targets: r.targets,
      scenarios: r.scenarios,
    });
    write(runs); // a run that breaks later leaves the earlier ones on disk
    console.log(
      `run ${i + 1}/${RUNS} in ${Math.round((performance.now() - t0) / 1000)} s: ` +
        Object.entries(r.targets)
          .map(([name, t]) => `${name} ${t.value}${t.pass === null ? '' : t.pass ? ' ✓' : ' ✗'}`)
          .join(', '),
    );
  }
  const spread = write(runs);
  console.log(`\n${RUNS} runs · ${os.cpus().length} cores · Node ${process.version}`);
  console.table(
    Object.entries(spread).map(([figure, s]) => ({
      figure,
      min: s.min,
      median: s.median,
      max: s.max,
      target: s.target === null ? '(reported)' : s.target === true ? 'true' : `≤ ${s.target}`,
      passed: `${s.passed}/${s.runs}`,
    })),
  );
  console.log('written to bench/results/runs.json');
}

/** min / median / max of each target figure over `runs`, written with the runs to bench/results/runs.json. */
function write(runs) {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.targets)))];
  const spread = {};
  for (const name of names) {
    const all = runs.map((r) => r.targets[name]?.value);
    const values = all.filter((v) => typeof v === 'number');
    const flags = all.filter((v) => typeof v === 'boolean');
    if (flags.length) {
      // A yes/no figure (two instances' unique Message-IDs): how many runs said yes.
      const yes = flags.filter(Boolean).length;
      spread[name] = {
        min: `${yes}/${flags.length} true`,
        median: null,
        max: null,
        target: true,
        passed: yes,
        runs: flags.length,
      };
      continue;
    }
    if (!values.length) continue;
    const sorted = [...values].sort((a, b) => a - b);
    const target = runs.find((r) => r.targets[name])?.targets[name].target ?? null;
    spread[name] = {
      min: sorted[0],
      median: Math.round(median(sorted) * 100) / 100,
      max: sorted.at(-1),
      target,
      passed: runs.filter((r) => r.targets[name]?.pass === true).length,
      runs: values.length,
      values,
    };
  }
  fs.writeFileSync(
    path.join(root, 'bench', 'results', 'runs.json'),
    JSON.stringify({ machine: { cores: os.cpus().length, node: process.version }, spread, runs }, null, 2),
  );
  return spread;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
