import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signAnchor, type SignedAnchor } from './anchor.rules';
import { chain, type ChainedFields, entryHash, GENESIS_HASH } from './audit-chain';
import {
  type AuditRow,
  CHAIN_PROOF_END,
  type ChainLink,
  chainLinkLine,
  chainProofStart,
  evidenceLine,
  manifestJson,
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

const pair = generateKeyPairSync('ed25519');
const KEY = {
  privateKey: pair.privateKey,
  publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
};

function write(
  dir: string,
  b: Bundle,
  opts: { entries?: string[]; links?: ChainLink[]; anchor?: (a: SignedAnchor) => SignedAnchor } = {},
): void {
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
  // The manifest of every file now in the folder, and the head signed with its digest, as EvidenceService does
  // (with the service's own manifestJson and signAnchor).
  const manifest = manifestJson({
    alertId: ALERT,
    alertCode: '2026-001',
    generatedAt: new Date('2026-11-30T04:00:00Z'),
    head: { seq: last.id, hash: last.hash },
    files: readdirSync(dir)
      .filter((name) => name !== 'manifest.json' && name !== 'anchor.json')
      .map((name) => {
        const bytes = readFileSync(path.join(dir, name));
        return { name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
      }),
  });
  writeFileSync(path.join(dir, 'manifest.json'), manifest);
  const anchor = signAnchor(
    KEY,
    { entryId: last.id, entryCount: String(b.rows.length), hash: last.hash },
    {
      anchoredAt: new Date('2026-11-30T04:00:00Z'),
      reason: 'evidence',
      alertId: ALERT,
      manifestSha256: createHash('sha256').update(manifest).digest('hex'),
    },
  );
  writeFileSync(path.join(dir, 'anchor.json'), JSON.stringify(opts.anchor ? opts.anchor(anchor) : anchor));
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

  it('checks every file against the signed manifest: changed, missing, added, or the manifest itself', () => {
    writeFileSync(path.join(dir, 'orders.csv'), '指令编号,企业\nA1,甲焦化\n');
    write(dir, bundle);
    expect(run().stdout).toContain('OK all 4 files match the signed manifest');
    // One byte of a file the chain does not cover.
    writeFileSync(path.join(dir, 'orders.csv'), '指令编号,企业\nA2,甲焦化\n');
    const changed = run();
    expect(changed.stdout).toContain('BAD orders.csv: file differs from its digest in the manifest');
    expect(changed.status).toBe(1);
    rmSync(path.join(dir, 'orders.csv'));
    expect(run().stdout).toContain('BAD orders.csv: file missing');
    writeFileSync(path.join(dir, 'orders.csv'), '指令编号,企业\nA1,甲焦化\n');
    writeFileSync(path.join(dir, 'extra.json'), '{}');
    expect(run().stdout).toContain('BAD extra.json: file is not in the manifest');
    rmSync(path.join(dir, 'extra.json'));
    expect(run().status).toBe(0);
    // A manifest rewritten to match a changed file no longer matches the signed digest.
    const manifest = readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    writeFileSync(path.join(dir, 'manifest.json'), manifest.replace('"bytes": ', '"bytes":  '));
    expect(run().stdout).toContain('BAD manifest.json: manifest differs from the one signed');
    // An anchor that signs no manifest (as before manifests existed) does not vouch for the files.
    write(dir, bundle, {
      anchor: (a) =>
        signAnchor(
          KEY,
          { entryId: a.entryId, entryCount: a.entryCount, hash: a.hash },
          { anchoredAt: new Date(a.anchoredAt), reason: 'evidence', alertId: ALERT },
        ),
    });
    expect(run().stdout).toContain('BAD anchor.json: the signed head names no manifest');
    rmSync(path.join(dir, 'orders.csv'));
    write(dir, bundle);
  });

  it('checks the signed head in anchor.json', () => {
    write(dir, bundle, { anchor: (a) => ({ ...a, hash: 'e'.repeat(64) }) });
    expect(run().stdout).toContain('BAD anchor.json: signature does not verify');
    const other = generateKeyPairSync('ed25519');
    const resigned = signAnchor(
      {
        privateKey: other.privateKey,
        publicKeyPem: other.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
      { entryId: '1', entryCount: '1', hash: bundle.rows[0].hash },
      { anchoredAt: new Date(), reason: 'evidence', alertId: ALERT },
    );
    write(dir, bundle, { anchor: () => resigned });
    const result = run();
    expect(result.stdout).toContain('BAD anchor.json: signed head differs from the chain proof');
    expect(result.status).toBe(1);
  });

  it('--against a later bundle: names the first entry rewritten between the two, and accepts an honest one', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'haze-verify-pair-'));
    try {
      const earlier = path.join(root, 'earlier');
      const later = path.join(root, 'later');
      mkdirSync(earlier);
      mkdirSync(later);
      copyFileSync(VERIFIER, path.join(earlier, 'verify.mjs'));
      copyFileSync(VERIFIER, path.join(later, 'verify.mjs'));
      const earlierLog: Bundle = { rows: bundle.rows.slice(0, 200), from: bundle.from };
      write(earlier, earlierLog);
      const pairRun = () =>
        spawnSync(process.execPath, ['verify.mjs', earlier, '--against', later], {
          cwd: earlier,
          encoding: 'utf8',
          timeout: 20_000,
        });
      write(later, bundle); // the log grew honestly
      const honest = pairRun();
      expect(honest.stdout).toContain('OK the later bundle');
      expect(honest.status).toBe(0);

      // Someone rewrote one of the warning's entries and recomputed every later hash: each bundle alone is fine.
      const target = bundle.rows.findIndex((r, i) => i > bundle.from + 10 && r.alert_id === ALERT);
      let prev = bundle.rows[target - 1].hash;
      const rewritten = bundle.rows.map((r, i) => {
        if (i < target) return r;
        const changed = i === target ? { ...r, actor_name: 'mallory' } : r;
        const hash = entryHash(prev, {
          occurredAt: changed.occurred_at,
          actorType: changed.actor_type,
          actorId: changed.actor_id,
          actorName: changed.actor_name,
          action: changed.action,
          subjectType: changed.subject_type,
          subjectId: changed.subject_id,
          alertId: changed.alert_id,
          requestId: changed.request_id,
          ip: changed.ip,
          data: changed.data,
        });
        const row = { ...changed, prev_hash: prev, hash };
        prev = hash;
        return row;
      });
      write(later, { rows: rewritten, from: bundle.from });
      expect(spawnSync(process.execPath, ['verify.mjs'], { cwd: later, encoding: 'utf8' }).status).toBe(0);
      const caught = pairRun();
      expect(caught.stdout).toContain(
        `BAD ${bundle.rows[target].id}: entry rewritten since the earlier bundle`,
      );
      expect(caught.status).toBe(1);

      // A later bundle that ends before the earlier one: its tail was cut.
      write(later, { rows: bundle.rows.slice(0, 150), from: bundle.from });
      expect(pairRun().stdout).toContain('the later bundle ends before the earlier one');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
