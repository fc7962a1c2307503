// `node bench/approval-profile.mjs [enterprises] [cycles]`: the bench's three approvals, alone and repeated, for
// profiling them (BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the service; a database setting
// such as log_min_duration_statement can be set on the printed database while it runs). A fresh hz_prof_* database
// (bench-service.mjs database), the built service on it (`npm run build` first) with no scheduler, so nothing but
// the approvals runs, and the generated enterprises (default 10,000). Each cycle, in the bench's order: a whole-city
// red warning approved; the autumn-winter campaign approved while it is pending; the warning cancelled; a red warning
// approved during the campaign; both cancelled. Prints each approval's answer time, then drops the database (kept
// with BENCH_KEEP_DB=1).
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { database, postAs, startService, writeGeneratedEnterprises } from './bench-service.mjs';

const [n = 10_000, cycles = 3] = process.argv.slice(2).map(Number);
const db = await database('hz_prof');
// BENCH_PROFILE_SCHEDULER=1: the scheduler on and a counting SMTP server, each approval's mails delivered before the
// next step, as in the bench (the dispatcher then renders and sends beside the next approval's answer).
const scheduled = Boolean(process.env.BENCH_PROFILE_SCHEDULER);
const smtp = scheduled
  ? new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, cb) => stream.on('end', () => cb()).resume(),
    })
  : null;
if (smtp) await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
let svc;
try {
  svc = await startService(
    db.url,
    smtp ? `smtp://127.0.0.1:${smtp.server.address().port}` : 'smtp://127.0.0.1:1',
    { env: { SCHEDULER_ENABLED: String(scheduled) } },
  );
  console.log(`${db.url}: ${n} enterprises written in ${await writeGeneratedEnterprises(db.url, n)} ms`);
  const draft = (url, body) => postAs(svc, svc.dutyCookie, url, body);
  const approve = async (kind, id) => {
    const t0 = performance.now();
    const answer = await postAs(svc, svc.commanderCookie, `/api/${kind}/${id}/approve`, {});
    const took = Math.round(performance.now() - t0);
    if (!scheduled) return { ms: took, orders: answer.orderCounts?.total };
    await delivered();
    // Until no message is left to send (polled every 50 ms): the approval's answer and its mails.
    return { ms: took, orders: answer.orderCounts?.total, mailMs: Math.round(performance.now() - t0) };
  };
  const redWarning = (reason) =>
    draft('/api/alerts', {
      level: 'RED',
      wholeCity: true,
      effectiveAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
      reason,
    });
  const delivered = async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const unsent = async () =>
      (
        await c.query(
          "SELECT count(*)::int AS n FROM outbox_message WHERE state IN ('QUEUED', 'SENDING', 'RETRYING')",
        )
      ).rows[0].n;
    while ((await unsent()) > 0) await new Promise((r) => setTimeout(r, 50));
    await c.end();
  };
  const received = async (alertId) => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query(
      `UPDATE reduction_order SET state = 'RECEIVED', received_at = now(), updated_at = now() WHERE alert_id = $1`,
      [alertId],
    );
    await c.end();
  };
  const beijing = new Date(Date.now() + 8 * 3600_000);
  const year = beijing.getUTCMonth() < 3 ? beijing.getUTCFullYear() : beijing.getUTCFullYear() + 1;
  for (let c = 1; c <= cycles; c++) {
    const w1 = await redWarning('性能剖析:全市红色预警');
    const warning = await approve('alerts', w1.id);
    // BENCH_PROFILE_RECEIVED=1: every order of the warning confirmed first (in SQL), as the bench's acknowledgements
    // leave them before its campaign.
    if (process.env.BENCH_PROFILE_RECEIVED) await received(w1.id);
    const cp = await draft('/api/campaigns', {
      kind: 'AUTUMN_WINTER',
      wholeCity: true,
      effectiveAt: new Date(Date.now() + 3600_000).toISOString(),
      expectedEndAt: `${year}-03-31T23:00:00+08:00`,
    });
    const campaign = await approve('campaigns', cp.id);
    await draft(`/api/alerts/${w1.id}/cancel`, { reason: '性能剖析:撤销' });
    await approve('alerts', w1.id);
    const w2 = await redWarning('性能剖析:错峰生产期间的全市红色预警');
    const during = await approve('alerts', w2.id);
    await draft(`/api/alerts/${w2.id}/cancel`, { reason: '性能剖析:撤销' });
    await approve('alerts', w2.id);
    await draft(`/api/campaigns/${cp.id}/cancel`, { reason: '性能剖析:撤销' });
    await approve('campaigns', cp.id);
    console.log(JSON.stringify({ cycle: c, warning, campaign, warningDuringCampaign: during }));
  }
} finally {
  await svc?.stop();
  await new Promise((r) => (smtp ? smtp.close(r) : r()));
  if (process.env.BENCH_KEEP_DB) console.log(`kept ${db.url}`);
  else await db.drop();
}
