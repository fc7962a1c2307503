import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chain, type ChainedFields, GENESIS_HASH } from './audit-chain';
import {
  type AuditRow,
  CHAIN_PROOF_END,
  type ChainLink,
  chainLinkLine,
  chainProofStart,
  evidenceLine,
} from './evidence.rules';

/**
 * templates/evidence/verify.mjs must hash exactly as audit-chain.ts does: bundles are built here with the
 * service's own chain() and the same line writers the service streams, then the script is run on them.
 */
const VERIFIER = path.join(__dirname, '../../templates/evidence/verify.mjs');
const ALERT = '3f1e6d2a-5b7c-4d8e-9f01-23456789abcd';
const OTHER = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

interface Bundle {
  rows: AuditRow[];
  /** Index of the warning's first entry in `rows`. */
  from: number;
}

/** A log: some entries before the warning, then its entries interleaved with others', each with random data. */
function makeLog(count: number, seed: number): Bundle {
  const data = fc.sample(
    fc.dictionary(
      fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a', 'B', 'é', '离石', '__x', '')),
      fc.jsonValue(),
      { maxKeys: 6 },
    ),
    { numRuns: count, seed },
  );
  const start = Date.UTC(2026, 10, 28, 2, 0, 0, 123);
  const fields: ChainedFields[] = data.map((d, i) => ({
    occurredAt: new Date(start + i * 1_001),
    actorType: i % 3 === 0 ? 'ENTERPRISE' : 'USER',
    actorId: i % 4 === 0 ? null : `u${i}`,
    actorName: i % 5 === 0 ? null : `值班员${i}`,
    action: `test.action.${i}`,
    subjectType: i % 2 ? 'order' : null,
    subjectId: i % 2 ? `o${i}` : null,
    alertId: i < 3 ? null : i % 3 === 0 ? OTHER : ALERT,
    requestId: i % 6 === 0 ? null : `req-${i}`,
    ip: i % 7 === 0 ? null : '127.0.0.1',
    data: d,
  }));
  const rows = chain(GENESIS_HASH, fields).map((e, i): AuditRow => ({
    id: String(i * 2 + 1), // ids have gaps (rolled-back inserts)
    occurred_at: e.occurredAt,
    actor_type: e.actorType,
    actor_id: e.actorId,
    actor_name: e.actorName,
    action: e.action,
    subject_type: e.subjectType,
    subject_id: e.subjectId,
    alert_id: e.alertId,
    request_id: e.requestId,
    ip: e.ip,
    data: e.data,
    prev_hash: e.prevHash,
    hash: e.hash,
  }));
  return { rows, from: rows.findIndex((r) => r.alert_id === ALERT) };
}

function links(b: Bundle): ChainLink[] {
  return b.rows.slice(b.from).map((r) => ({
    seq: r.id,
    prevHash: r.prev_hash,
    hash: r.hash,
    alert: r.alert_id === ALERT,
  }));
}

function write(dir: string, b: Bundle, opts: { entries?: string[]; links?: ChainLink[] } = {}): void {
  const entries = opts.entries ?? b.rows.filter((r) => r.alert_id === ALERT).map(evidenceLine);
  const proofLinks = opts.links ?? links(b);
  const last = b.rows[b.rows.length - 1];
  writeFileSync(path.join(dir, 'audit-entries.jsonl'), entries.join(''));
  writeFileSync(
    path.join(dir, 'chain-proof.json'),
    chainProofStart({
      alertId: ALERT,
      alertCode: '2026-001',
      generatedAt: new Date('2026-11-30T04:00:00Z'),
      head: { seq: last.id, hash: last.hash, entryCount: String(b.rows.length) },
      fromSeq: b.rows[b.from].id,
    }) +
      proofLinks.map((l, i) => chainLinkLine(l, i === 0)).join('') +
      CHAIN_PROOF_END,
  );
}

describe('verify.mjs (offline verifier of evidence bundles)', () => {
  let dir: string;
  let bundle: Bundle;
  const run = () =>
    spawnSync(process.execPath, ['verify.mjs'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
  const lines = () => bundle.rows.filter((r) => r.alert_id === ALERT).map(evidenceLine);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'haze-verify-'));
    copyFileSync(VERIFIER, path.join(dir, 'verify.mjs'));
    bundle = makeLog(300, 20261128);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('recomputes every hash like audit-chain.ts, on random data, and accepts the intact bundle', () => {
    write(dir, bundle);
    const result = run();
    expect(result.stderr).toBe('');
    const count = bundle.rows.filter((r) => r.alert_id === ALERT).length;
    expect(result.stdout).toContain(
      `OK ${count} warning entries verified, ${links(bundle).length} chain links`,
    );
    expect(result.status).toBe(0);
  });

  it('accepts a bundle whose JSON key order differs (the hash is over the canonical form)', () => {
    const reordered = lines().map((l) => {
      const e = JSON.parse(l) as Record<string, unknown>;
      return `${JSON.stringify(Object.fromEntries(Object.entries(e).reverse()))}\n`;
    });
    write(dir, bundle, { entries: reordered });
    expect(run().status).toBe(0);
  });

  it('names the first entry whose content was changed', () => {
    const changed = lines();
    const target = JSON.parse(changed[5]) as { id: string; actorName: string | null };
    changed[5] = `${JSON.stringify({ ...target, actorName: 'mallory' })}\n`;
    changed[9] = `${JSON.stringify({ ...JSON.parse(changed[9]), action: 'forged' })}\n`;
    write(dir, bundle, { entries: changed });
    const result = run();
    expect(result.stdout).toBe(`BAD ${target.id}: content does not match its hash / 内容与哈希不符\n`);
    expect(result.status).toBe(1);
  });

  it('names a removed entry, an added one and one of another warning', () => {
    const removed = lines();
    const [gone] = removed.splice(3, 1);
    write(dir, bundle, { entries: removed });
    expect(run().stdout).toContain(`BAD ${(JSON.parse(gone) as { id: string }).id}: warning entry missing`);

    const other = bundle.rows.find(
      (r) => r.alert_id === OTHER && Number(r.id) > Number(bundle.rows[bundle.from].id),
    )!;
    write(dir, bundle, { entries: [...lines(), evidenceLine(other)] });
    expect(run().stdout).toContain(`BAD ${other.id}: entry is not in the chain proof`);

    const moved = links(bundle).map((l) => (l.seq === other.id ? { ...l, alert: true } : l));
    write(dir, bundle, { entries: [...lines(), evidenceLine(other)], links: moved });
    const result = run();
    expect(result.stdout).toContain(`BAD ${other.id}: entry belongs to another warning`);
    expect(result.status).toBe(1);
  });

  it('finds a broken link, swapped links and a proof that does not end at the head', () => {
    const proof = links(bundle);
    const broken = proof.map((l, i) => (i === 4 ? { ...l, prevHash: 'f'.repeat(64) } : l));
    write(dir, bundle, { links: broken });
    expect(run().stdout).toContain(`BAD ${proof[4].seq}: chain broken`);

    const swapped = [...proof];
    [swapped[6], swapped[7]] = [swapped[7], swapped[6]];
    write(dir, bundle, { links: swapped });
    expect(run().stdout).toContain(`BAD ${proof[7].seq}: chain broken`);

    const last = proof[proof.length - 1];
    const entries = lines().filter((l) => (JSON.parse(l) as { id: string }).id !== last.seq);
    write(dir, bundle, { links: proof.slice(0, -1), entries });
    const short = run();
    expect(short.stdout).toContain(`BAD ${last.seq}: chain does not end at the recorded head`);
    expect(short.status).toBe(1);
  });

  it('refuses files that are not JSON', () => {
    write(dir, bundle, { entries: [...lines(), '{not json\n'] });
    const result = run();
    expect(result.stdout).toMatch(/^BAD audit-entries\.jsonl:\d+: not valid JSON/);
    expect(result.status).toBe(1);
  });
});
