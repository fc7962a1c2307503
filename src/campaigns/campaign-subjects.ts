import type { Grade } from '../enterprises/enterprise.types';
import {
  type CampaignDecision,
  type CampaignKind,
  type CampaignSubject,
  type campaignRulesOf,
  ozoneDecision,
  staggerDecision,
} from './campaign.rules';

/** What the campaign rules read of an enterprise (campaignDecisionOf), with its id: nothing else. */
export interface CampaignRuleRow {
  id: string;
  grade: Grade;
  industry: string;
  is_protected: boolean;
  protected_max_load: number | null;
  control_tags: string[];
  lines: Array<{ code: string; name: string }>;
  baseline_vocs: number;
  joint_control_area: boolean;
}

/**
 * The enterprise as the campaign rules read it, loaded in one query: shared by the preview (which counts) and the
 * orders (which approval writes), so both run the same rules over the same rows.
 */
export interface CampaignRow extends CampaignRuleRow {
  name: string;
  credit_code: string;
  county_code: string;
  county_name: string;
}

/** The enterprises as the campaign rules read them, with their county; the caller adds WHERE and ORDER BY. */
export const ENTERPRISE_ROWS_SQL = `SELECT e.id, e.name, e.credit_code, e.county_code, c.name AS county_name, e.grade,
              e.industry_code AS industry, e.is_protected, e.protected_max_load::float8 AS protected_max_load,
              e.control_tags, e.lines, e.baseline_vocs::float8 AS baseline_vocs, c.joint_control_area
         FROM enterprise e JOIN county c ON c.code = e.county_code`;

/**
 * The same enterprises with only what the rules read (CampaignRuleRow): approval decides every enterprise of the
 * campaign's counties and needs no name or county name to write its orders. The caller adds WHERE.
 */
export const RULE_ROWS_SQL = `SELECT e.id, e.grade, e.industry_code AS industry, e.is_protected,
              e.protected_max_load::float8 AS protected_max_load, e.control_tags, e.lines,
              e.baseline_vocs::float8 AS baseline_vocs, c.joint_control_area
         FROM enterprise e JOIN county c ON c.code = e.county_code`;

/**
 * Everything of a row the rules can read (all of it but the id), as one string: two enterprises with the same key
 * get the same decision (campaignDecisionOf reads the row only), so a caller may decide each key once.
 */
export function decisionKeyOf(r: CampaignRuleRow): string {
  const { id: _id, ...read } = r;
  return JSON.stringify(read);
}

/** The enterprise as the staggered-production rules see it. */
export function staggerSubjectOf(r: CampaignRuleRow): CampaignSubject {
  return {
    grade: r.grade,
    industry: r.industry,
    isProtected: r.is_protected,
    protectedMaxLoad: r.protected_max_load,
    controlTags: r.control_tags,
    jointControlArea: r.joint_control_area,
    lines: r.lines ?? [],
  };
}

/** Outside the ozone response's scope: no measures, and why. */
export const OZONE_OUT_OF_SCOPE_REASON = '不涉及VOCs排放工序';

/** An enterprise's decision under a campaign kind (out of the ozone scope: exempt, with the reason). */
export function campaignDecisionOf(
  kind: CampaignKind,
  r: CampaignRuleRow,
  rules: ReturnType<typeof campaignRulesOf>,
): CampaignDecision {
  if (kind === 'AUTUMN_WINTER') return staggerDecision(staggerSubjectOf(r), rules.AUTUMN_WINTER);
  return (
    ozoneDecision(
      { grade: r.grade, industry: r.industry, baselineVocs: r.baseline_vocs },
      rules.SUMMER_OZONE,
    ) ?? {
      treatment: 'EXEMPT',
      effectiveGrade: r.grade,
      measures: [],
      reasons: [OZONE_OUT_OF_SCOPE_REASON],
      escalatedBy: [],
    }
  );
}
