// `node bench/import-peak.mjs <enterprises> [<enterprises> …]`: the import alone, for measuring its memory.
// For each size: builds the bench's generated list as an XLSX once (kept in /tmp, reused by later runs), starts
// the built service (dist/, `npm run build` first; bench-service.mjs startService, as the bench starts it) on a fresh
// hz_imem_* database of BENCH_DATABASE_URL's server (an embedded PostgreSQL when unset), uploads the file and prints
// the import's time and the service's peak RSS (VmHWM), then drops the database. The environment (IMPORT_CHUNK_ENTERPRISES,
// BENCH_NODE_ARGS) is passed to the service; BENCH_KEEP_DB=1 keeps the database (e.g. to time the reads after an
// import through the service). Run it under the shared lock.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { database, dist, importEnv, startService } from './bench-service.mjs';
import { GENERATED_SEASON, generatedEnterprise } from './generated-list.mjs';

const status = (pid, key) =>
  Math.round(
    Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024,
  );

/** The bench's list (bench/run-bench.mjs generateList), written once per size to /tmp. */
async function listFile(n) {
  const file = path.join(os.tmpdir(), `hz-imem-list-${n}.xlsx`);
  if (fs.existsSync(file)) return file;
  const { creditCodeFor } = dist('database/seeds/demo-enterprises.generator.js');
  const { toRows } = dist('enterprises/reduction-list.layout.js');
  const { sheetWriter } = dist('enterprises/spreadsheet.io.js');
  const out = new PassThrough();
  const tmp = `${file}.part`;
  const sink = fs.createWriteStream(tmp);
  out.pipe(sink);
  const writer = sheetWriter('xlsx', out);
  for (let i = 0; i < n; i++) {
    const { enterprise, measures } = generatedEnterprise(i, creditCodeFor);
    const rows = toRows(enterprise, GENERATED_SEASON, measures);
    for (const row of rows) await writer.write(row);
    // Let the file stream drain so the XLSX is never held whole here.
    if (out.readableLength > 8 * 2 ** 20) await new Promise((r) => sink.once('drain', r));
  }
  await writer.end();
  await new Promise((r) => sink.end(r));
  fs.renameSync(tmp, file);
  return file;
}

function upload(base, cookie, file) {
  const boundary = `imem${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.xlsx"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = fs.statSync(file).size;
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/api/enterprises/import`, {
      method: 'POST',
      headers: {
        cookie,
        'x-requested-with': 'bench',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + size + tail.length,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.write(head);
    const body = fs.createReadStream(file);
    body.on('end', () => req.end(tail));
    body.pipe(req, { end: false });
  });
}

async function measure(n) {
  const file = await listFile(n);
  const db = await database('hz_imem');
  let svc;
  try {
    // The size series' import limits; no scheduler, no mail (nothing is sent).
    svc = await startService(db.url, 'smtp://127.0.0.1:1', {
      env: { ...importEnv(n), SCHEDULER_ENABLED: 'false' },
    });
    const idle = status(svc.pid, 'VmRSS');
    const samples = [];
    const t0 = performance.now();
    const sampler = setInterval(() => samples.push(status(svc.pid, 'VmRSS')), 2000);
    const res = await upload(svc.base, svc.cookie, file);
    clearInterval(sampler);
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    const peak = status(svc.pid, 'VmHWM');
    const body = res.text.slice(0, 300);
    console.log(
      JSON.stringify({
        enterprises: n,
        fileMiB: Math.round((fs.statSync(file).size / 2 ** 20) * 10) / 10,
        status: res.status,
        importSeconds: seconds,
        msPerEnterprise: Math.round(((seconds * 1000) / n) * 100) / 100,
        idleRssMiB: idle,
        peakRssMiB: peak,
        load: os.loadavg().map((l) => Math.round(l * 10) / 10),
        imported: res.status === 200 ? JSON.parse(res.text).imported : undefined,
        body: res.status === 200 ? undefined : body,
      }),
    );
    console.log(`RSS MiB every 2 s: ${samples.join(' ')}`);
  } finally {
    await svc?.stop();
    fs.rmSync(svc?.dataDir ?? '', { recursive: true, force: true });
    if (process.env.BENCH_KEEP_DB) console.log(`kept ${db.url}`);
    else await db.drop();
  }
}

const sizes = process.argv.slice(2).map(Number);
for (const n of sizes.length ? sizes : [10_000]) await measure(n);
