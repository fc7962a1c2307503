#!/usr/bin/env node
// Offline verifier of a haze-coordinator evidence bundle (预警证据包离线核验).
// No dependencies: Node.js ≥ 18 only. Run `node verify.mjs` in the unzipped folder (or pass the folder).
// It recomputes every audit entry of the warning with the service's own algorithm (src/audit/audit-chain.ts),
// checks that the entries link, through the chain-proof, up to the recorded chain head, and prints
// "OK …" (exit 0) or "BAD <id>: <reason>" for the first entry that fails (exit 1).
// It also checks anchor.json, the bundle's head signed with the service's key (which the database does not
// hold), and manifest.json, whose SHA-256 the anchor signs: every file of the bundle must match its digest there,
// and no file may be missing or added. `node verify.mjs <this folder> --against <folder of a later bundle>` verifies both and shows whether
// the log was rewritten between them: every entry both bundles hold must have the same hash.
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Exactly audit-chain.ts canonicalJson: object keys sorted (UTF-16 order) at every level, undefined members
// dropped, arrays in order, non-finite numbers as null, everything else as JSON.stringify writes it.
function canonicalJson(value) {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

// Exactly audit-chain.ts entryHash: sha256(prevHash + "\n" + canonical array of the covered fields), hex.
function entryHash(prevHash, e) {
  const canonical = canonicalJson([
    1,
    new Date(e.occurredAt).toISOString(),
    e.actorType,
    e.actorId,
    e.actorName,
    e.action,
    e.subjectType,
    e.subjectId,
    e.alertId,
    e.requestId,
    e.ip,
    e.data ?? {},
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

class Bad extends Error {
  constructor(id, reason) {
    super(reason);
    this.id = id;
  }
}

function read(dir, name) {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch {
    throw new Bad(name, `cannot read ${name} / 无法读取 ${name}`);
  }
}

function verify(dir) {
  let proof;
  try {
    proof = JSON.parse(read(dir, 'chain-proof.json'));
  } catch (e) {
    if (e instanceof Bad) throw e;
    throw new Bad('chain-proof.json', 'not valid JSON / 不是有效的 JSON');
  }
  const entries = new Map();
  read(dir, 'audit-entries.jsonl')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        throw new Bad(`audit-entries.jsonl:${i + 1}`, 'not valid JSON / 不是有效的 JSON');
      }
      const id = String(entry.id);
      if (entries.has(id)) throw new Bad(id, 'entry appears twice / 记录重复');
      entries.set(id, entry);
    });

  const links = Array.isArray(proof.links) ? proof.links : [];
  const head = proof.head ?? {};
  let previous = null;
  let checked = 0;
  for (const link of links) {
    const seq = String(link.seq);
    if (previous) {
      if (BigInt(seq) <= BigInt(previous.seq)) throw new Bad(seq, 'chain proof out of order / 链顺序错误');
      if (link.prevHash !== previous.hash)
        throw new Bad(seq, 'chain broken: previous hash does not match / 链断裂:前一哈希不符');
    }
    if (link.alert) {
      const entry = entries.get(seq);
      if (!entry) throw new Bad(seq, 'warning entry missing from audit-entries.jsonl / 预警记录缺失');
      if (entry.alertId !== proof.alertId)
        throw new Bad(seq, 'entry belongs to another warning / 记录不属于本预警');
      if (entry.prevHash !== link.prevHash || entry.hash !== link.hash)
        throw new Bad(seq, 'entry does not match the chain proof / 记录与链证明不符');
      let hash;
      try {
        hash = entryHash(entry.prevHash, entry);
      } catch {
        throw new Bad(seq, 'entry is malformed / 记录格式错误');
      }
      if (hash !== entry.hash) throw new Bad(seq, 'content does not match its hash / 内容与哈希不符');
      entries.delete(seq);
      checked++;
    }
    previous = { seq, hash: link.hash };
  }
  const [stray] = entries.keys();
  if (stray !== undefined)
    throw new Bad(stray, 'entry is not in the chain proof / 记录不在链证明中');
  if (!previous || String(head.seq) !== previous.seq || head.hash !== previous.hash)
    throw new Bad(String(head.seq), 'chain does not end at the recorded head / 链未止于记录的链头');
  return { checked, linked: links.length, head };
}

// Exactly src/audit/anchor.rules.ts anchorPayload and keyIdOf.
function anchorPayload(a) {
  const lines = [a.format, a.entryId, a.entryCount, a.hash, a.anchoredAt, a.reason, a.alertId ?? ''];
  if (a.manifestSha256 !== undefined) lines.push(a.manifestSha256);
  return lines.join('\n');
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
// Not listed in the manifest: the manifest itself, and the anchor that signs the manifest's digest.
const UNLISTED = new Set(['manifest.json', 'anchor.json']);

function verifyManifest(dir, anchor, head) {
  let bytes;
  try {
    bytes = readFileSync(join(dir, 'manifest.json'));
  } catch {
    throw new Bad('manifest.json', 'cannot read manifest.json / 无法读取 manifest.json');
  }
  if (typeof anchor.manifestSha256 !== 'string')
    throw new Bad('anchor.json', 'the signed head names no manifest / 签名链头未包含文件清单摘要');
  if (sha256(bytes) !== anchor.manifestSha256)
    throw new Bad('manifest.json', 'manifest differs from the one signed / 文件清单与签名不符');
  let manifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Bad('manifest.json', 'not valid JSON / 不是有效的 JSON');
  }
  if (String(manifest.chainHead?.seq) !== String(head.seq) || manifest.chainHead?.hash !== head.hash)
    throw new Bad('manifest.json', 'manifest names another chain head / 文件清单的链头与链证明不符');
  const listed = new Set();
  for (const file of manifest.files ?? []) {
    const name = String(file.name);
    if (name.includes('/') || name.includes('\\') || UNLISTED.has(name))
      throw new Bad('manifest.json', `manifest lists ${name} / 文件清单列有 ${name}`);
    let content;
    try {
      content = readFileSync(join(dir, name));
    } catch {
      throw new Bad(name, `file missing / 文件缺失`);
    }
    if (content.length !== file.bytes || sha256(content) !== file.sha256)
      throw new Bad(name, 'file differs from its digest in the manifest / 文件内容与清单摘要不符');
    listed.add(name);
  }
  for (const name of readdirSync(dir)) {
    if (!UNLISTED.has(name) && !listed.has(name))
      throw new Bad(name, 'file is not in the manifest / 文件不在清单中');
  }
  return listed.size;
}

function verifyAnchor(dir, head) {
  let anchor;
  try {
    anchor = JSON.parse(read(dir, 'anchor.json'));
  } catch (e) {
    if (e instanceof Bad) throw e;
    throw new Bad('anchor.json', 'not valid JSON / 不是有效的 JSON');
  }
  let keyId;
  try {
    const der = createPublicKey(anchor.publicKey).export({ type: 'spki', format: 'der' });
    keyId = createHash('sha256').update(der).digest('hex').slice(0, 16);
  } catch {
    throw new Bad('anchor.json', 'public key is not valid / 公钥无效');
  }
  if (keyId !== anchor.keyId) throw new Bad('anchor.json', 'key id does not match the key / 密钥编号与公钥不符');
  const signed = verifySignature(
    null,
    Buffer.from(anchorPayload(anchor)),
    anchor.publicKey,
    Buffer.from(String(anchor.signature), 'base64'),
  );
  if (!signed) throw new Bad('anchor.json', 'signature does not verify / 签名无效');
  if (String(anchor.entryId) !== String(head.seq) || anchor.hash !== head.hash)
    throw new Bad('anchor.json', 'signed head differs from the chain proof / 签名链头与链证明不符');
  return anchor;
}

/** Every seq → hash a bundle vouches for: its chain-proof links and its entries. */
function hashesOf(dir) {
  const proof = JSON.parse(read(dir, 'chain-proof.json'));
  const hashes = new Map();
  for (const link of proof.links ?? []) hashes.set(String(link.seq), link.hash);
  hashes.set(String(proof.head.seq), proof.head.hash);
  return hashes;
}

/** Whether a later bundle's entries hold the record of this bundle's manifest digest (evidence.manifest). */
function manifestRecorded(laterDir, manifestSha256, alertId) {
  return read(laterDir, 'audit-entries.jsonl')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
    .some((e) => e.action === 'evidence.manifest' && e.alertId === alertId && e.data?.manifestSha256 === manifestSha256);
}

function compare(earlierDir, laterDir, earlier, later) {
  if (BigInt(later.head.seq) < BigInt(earlier.head.seq))
    throw new Bad(String(later.head.seq), 'the later bundle ends before the earlier one / 后一证据包的链头早于前一证据包');
  if (earlier.anchor.keyId !== later.anchor.keyId)
    throw new Bad('anchor.json', 'the bundles are signed with different keys / 两个证据包的签名密钥不同');
  const before = hashesOf(earlierDir);
  const after = hashesOf(laterDir);
  let compared = 0;
  for (const [seq, hash] of before) {
    if (!after.has(seq)) continue;
    if (after.get(seq) !== hash)
      throw new Bad(seq, 'entry rewritten since the earlier bundle / 该记录在前一证据包之后被改写');
    compared++;
  }
  return compared;
}

const args = process.argv.slice(2);
const againstAt = args.indexOf('--against');
const laterDir = againstAt >= 0 ? args[againstAt + 1] : undefined;
const dir = args.find((a, i) => a !== '--against' && i !== againstAt + 1) ?? dirname(fileURLToPath(import.meta.url));
try {
  const result = verify(dir);
  const { checked, linked, head } = result;
  result.anchor = verifyAnchor(dir, head);
  const files = verifyManifest(dir, result.anchor, head);
  console.log(
    `OK ${checked} warning entries verified, ${linked} chain links up to head #${head.seq} ${head.hash}, signed by key ${result.anchor.keyId}\n` +
      `OK 已核验本预警 ${checked} 条审计记录,${linked} 个链节点连至链头 #${head.seq},签名密钥 ${result.anchor.keyId}\n` +
      `OK all ${files} files match the signed manifest ${result.anchor.manifestSha256}\n` +
      `OK 全部 ${files} 个文件与已签名的文件清单一致`,
  );
  if (againstAt >= 0) {
    if (!laterDir) throw new Bad('--against', 'name the folder of the later bundle / 请给出后一证据包的文件夹');
    const later = verify(laterDir);
    later.anchor = verifyAnchor(laterDir, later.head);
    verifyManifest(laterDir, later.anchor, later.head);
    const compared = compare(dir, laterDir, result, later);
    console.log(
      `OK the later bundle (head #${later.head.seq}) keeps all ${compared} entries both hold unchanged\n` +
        `OK 后一证据包(链头 #${later.head.seq})与本包共有的 ${compared} 条记录均未被改写`,
    );
    // The signature already binds the files; the chain's record of the digest is reported, not required
    // (a later bundle cut from a copy of the log taken before this export would not hold it).
    const alertId = JSON.parse(read(dir, 'chain-proof.json')).alertId;
    console.log(
      manifestRecorded(laterDir, result.anchor.manifestSha256, alertId)
        ? `OK this bundle's manifest is recorded in the chain the later bundle verifies\n` +
            `OK 本包文件清单摘要已记入审计链(见后一证据包)`
        : `NOTE the later bundle holds no record of this bundle's manifest (evidence.manifest)\n` +
            `注意 后一证据包中没有本包文件清单摘要的入链记录`,
    );
  }
} catch (e) {
  if (!(e instanceof Bad)) throw e;
  console.log(`BAD ${e.id}: ${e.message}`);
  process.exitCode = 1;
}
