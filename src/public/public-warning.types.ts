import type { ChangeKind } from '../alerts/alert.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';

/** A released (approved) revision of a warning, as the public may see it: no enterprise, no person. */
export interface PublicRevision {
  revisionId: string;
  alertId: string;
  /** The warning's number, e.g. 2026-003. */
  alertCode: string;
  seq: number;
  kind: ChangeKind;
  level: WarningLevel;
  countyCodes: string[];
  effectiveAt: Date;
  expectedEndAt: Date | null;
  reason: string;
  approvedAt: Date;
  /** 文号 of the notice the revision released; null for revisions approved before numbering. */
  documentNumber: string | null;
}

/** Who publishes: CAP's sender and senderName, the contact, and where the public pages live. */
export interface PublicContext {
  /** CAP sender: unique to the issuer, no spaces, commas or < & (e.g. haze@example.cn). */
  sender: string;
  senderName: string;
  contact: string;
  /** Base URL of the service (APP_URL), without a trailing slash. */
  baseUrl: string;
  countyNames: ReadonlyMap<string, string>;
}
