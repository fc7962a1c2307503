// `node bench/reads-profile.mjs [enterprises] [runs]`: the size series' three reads, alone, for profiling them. A
// fresh hz_reads_* database (bench-service.mjs database), the built service on it (`npm run build` first) with no
// scheduler, the generated enterprises (default 100,000) written without the XLSX (writeGeneratedEnterprises), and a
// whole-city red warning approved (its mails left unsent). Then, `runs` times in turn (default 5): the adequacy
// report, the warning's preview and its assessment, as the bench requests them. Prints each read's times and median,
// then drops the database (kept with BENCH_KEEP_DB=1, e.g. for EXPLAIN ANALYZE on the printed database).
// BENCH_COMPARE_ROOT=<checkout> (built, e.g. `git worktree add /tmp/old <commit>`) then times the same reads side by
// side on the same database: that build, this one, that one, this one, each a service of its own warmed once.
import { database, postAs, startService, writeGeneratedEnterprises } from './bench-service.mjs';

const [n = 100_000, runs = 5] = process.argv.slice(2).map(Number);
const db = await database('hz_reads');
let svc;
try {
  svc = await startService(db.url, 'smtp://127.0.0.1:1', { env: { SCHEDULER_ENABLED: 'false' } });
  console.log(`${db.url}: ${n} enterprises written in ${await writeGeneratedEnterprises(db.url, n)} ms`);
  const draft = await postAs(svc, svc.dutyCookie, '/api/alerts', {
    level: 'RED',
    wholeCity: true,
    effectiveAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
    reason: '读取剖析',
  });
  const t0 = performance.now();
  const approved = await postAs(svc, svc.commanderCookie, `/api/alerts/${draft.id}/approve`, {});
  console.log(`approved: ${approved.orderCounts?.total} orders in ${Math.round(performance.now() - t0)} ms`);
  const reads = {
    adequacy: '/api/reduction-list/adequacy',
    preview: `/api/alerts/${draft.id}/preview`,
    assessment: `/api/alerts/${draft.id}/assessment`,
  };
  const timeReads = async (on, label, n) => {
    const times = Object.fromEntries(Object.keys(reads).map((k) => [k, []]));
    for (let i = 0; i < n; i++) {
      for (const [name, url] of Object.entries(reads)) {
        const t = performance.now();
        const res = await fetch(`${on.base}${url}`, { headers: { cookie: on.cookie } });
        const body = await res.text();
        if (!res.ok) throw new Error(`${url}: ${res.status} ${body.slice(0, 300)}`);
        times[name].push(Math.round(performance.now() - t));
      }
    }
    for (const [name, list] of Object.entries(times)) {
      const median = [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
      console.log(`${label}${name}: ${list.join(', ')} ms (median ${median})`);
    }
  };
  await timeReads(svc, '', runs);
  const compare = process.env.BENCH_COMPARE_ROOT;
  if (compare) {
    await svc.stop();
    svc = undefined;
    for (const [label, root] of [
      ['then', compare],
      ['this', undefined],
      ['then', compare],
      ['this', undefined],
    ]) {
      const on = await startService(db.url, 'smtp://127.0.0.1:1', {
        second: true,
        root,
        env: { SCHEDULER_ENABLED: 'false' },
      });
      try {
        await timeReads(on, `${label} (warm-up) `, 1);
        await timeReads(on, `${label} `, runs);
      } finally {
        await on.stop();
      }
    }
  }
} finally {
  await svc?.stop();
  if (process.env.BENCH_KEEP_DB) console.log(`kept ${db.url}`);
  else await db.drop();
}
