import { GENESIS_HASH, storedEntryOf } from './audit-chain';

/**
 * The audit part of a warning's evidence bundle: the lines of audit-entries.jsonl and the chain proof that
 * templates/evidence/verify.mjs checks offline. Pure: the service feeds it database rows.
 */
export const EVIDENCE_FORMAT = 'haze-coordinator/evidence-bundle/v1';

/** How an entry's hash is computed (audit-chain.ts entryHash), for people and other verifiers. */
export const CANONICAL_FORM = {
  hash: 'sha256, lowercase hex',
  input: 'prevHash + "\\n" + canonical',
  canonical:
    'canonical = canonical JSON of the array [1, occurredAt (ISO 8601 UTC with milliseconds, as Date.toISOString), ' +
    'actorType, actorId, actorName, action, subjectType, subjectId, alertId, requestId, ip, data (or {} when null)]; ' +
    'canonical JSON: object keys sorted by UTF-16 code units at every level, members whose value is undefined ' +
    'dropped, arrays kept in order, no whitespace, strings, numbers, booleans and null as JSON.stringify writes ' +
    'them, non-finite numbers as null.',
  canonicalZh:
    '规范化串 = 数组 [1, occurredAt(ISO 8601 UTC,含毫秒), actorType, actorId, actorName, action, subjectType, ' +
    'subjectId, alertId, requestId, ip, data(空则为 {})] 的规范 JSON:各层对象的键按 UTF-16 码元排序,' +
    '省略值为 undefined 的成员,数组保持顺序,无空白,字符串、数字、布尔值与 null 按 JSON.stringify 书写。' +
    '哈希 = sha256(prevHash + "\\n" + 规范化串),小写十六进制。',
  genesisHash: GENESIS_HASH,
  source: 'src/audit/audit-chain.ts',
} as const;

export type { AuditRow } from './audit-chain';
import type { AuditRow } from './audit-chain';

/** One line of audit-entries.jsonl: its place in the chain and every field its hash covers. */
export interface EvidenceEntry {
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  alertId: string | null;
  requestId: string | null;
  ip: string | null;
  data: unknown;
  prevHash: string;
  hash: string;
}

export function evidenceEntry(r: AuditRow): EvidenceEntry {
  return { ...storedEntryOf(r), occurredAt: r.occurred_at.toISOString() };
}

export function evidenceLine(r: AuditRow): string {
  return `${JSON.stringify(evidenceEntry(r))}\n`;
}

/** A link of the chain between the warning's first entry and the head; `alert` marks the warning's own entries. */
export interface ChainLink {
  seq: string;
  prevHash: string;
  hash: string;
  alert: boolean;
}

export function chainLinkLine(link: ChainLink, first: boolean): string {
  return `${first ? '' : ',\n'}${JSON.stringify(link)}`;
}

export interface ChainHead {
  seq: string;
  hash: string;
  entryCount: string;
}

/**
 * The opening of chain-proof.json, up to its `links` array (streamed after it, one link per line, closed by
 * CHAIN_PROOF_END): which warning, the head it was cut at, the range the links cover and how to hash.
 */
export function chainProofStart(input: {
  alertId: string;
  alertCode: string;
  generatedAt: Date;
  head: ChainHead;
  fromSeq: string | null;
}): string {
  const header = {
    format: EVIDENCE_FORMAT,
    alertId: input.alertId,
    alertCode: input.alertCode,
    generatedAt: input.generatedAt.toISOString(),
    head: input.head,
    range: { fromSeq: input.fromSeq, toSeq: input.head.seq },
    algorithm: CANONICAL_FORM,
    about:
      'links: (seq, prevHash, hash) of every entry from the first entry of this warning to the head, in chain ' +
      "order; alert=true marks this warning's entries, whose full content is in audit-entries.jsonl. Each link's " +
      "prevHash must equal the previous link's hash, and the last link must be the head. / links 为本预警第一条" +
      '记录至链头之间每条记录的 (序号, 前一哈希, 哈希),alert=true 的记录全文见 audit-entries.jsonl。',
  };
  return `${JSON.stringify(header, null, 2).slice(0, -2)},\n  "links": [\n`;
}

export const CHAIN_PROOF_END = '\n  ]\n}\n';

/** `evidence-2026-003.zip`: the warning number, safe in a header. */
export function evidenceFileName(alertCode: string): string {
  return `evidence-${alertCode.replace(/[^0-9A-Za-z-]/g, '_')}.zip`;
}

export const MANIFEST_FORMAT = 'haze-coordinator/evidence-manifest/v1';
/** Files the manifest does not list: itself, and the anchor that signs its digest. */
export const UNLISTED_FILES = ['manifest.json', 'anchor.json'] as const;

/** One file of the bundle as manifest.json lists it. */
export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
}

/**
 * manifest.json: the SHA-256 of every other file of the bundle (anchor.json excepted, which signs this file's
 * digest), with the chain head the bundle was cut at. Files in the order they were written.
 */
export function manifestJson(m: {
  alertId: string;
  alertCode: string;
  generatedAt: Date;
  head: { seq: string; hash: string };
  files: readonly ManifestFile[];
}): string {
  const body = {
    format: MANIFEST_FORMAT,
    alertId: m.alertId,
    alertCode: m.alertCode,
    generatedAt: m.generatedAt.toISOString(),
    chainHead: { seq: m.head.seq, hash: m.head.hash },
    files: m.files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
