import type { Grade } from '../enterprises/enterprise.types';
import {
  type CampaignDecision,
  type CampaignKind,
  type CampaignSubject,
  type campaignRulesOf,
  ozoneDecision,
  staggerDecision,
} from './campaign.rules';

/**
 * The enterprise as the campaign rules read it, loaded in one query: shared by the preview (which counts) and the
 * orders (which approval writes), so both run the same rules over the same rows.
 */
export interface CampaignRow {
  id: string;
  name: string;
  credit_code: string;
  county_code: string;
  county_name: string;
  grade: Grade;
  industry: string;
  is_protected: boolean;
  protected_max_load: number | null;
  control_tags: string[];
  lines: Array<{ code: string; name: string }>;
  baseline_vocs: number;
  joint_control_area: boolean;
}

/** The enterprises as the campaign rules read them, with their county; the caller adds WHERE and ORDER BY. */
export const ENTERPRISE_ROWS_SQL = `SELECT e.id, e.name, e.credit_code, e.county_code, c.name AS county_name, e.grade,
              e.industry_code AS industry, e.is_protected, e.protected_max_load::float8 AS protected_max_load,
              e.control_tags, e.lines, e.baseline_vocs::float8 AS baseline_vocs, c.joint_control_area
         FROM enterprise e JOIN county c ON c.code = e.county_code`;

/** The enterprise as the staggered-production rules see it. */
export function staggerSubjectOf(r: CampaignRow): CampaignSubject {
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
  r: CampaignRow,
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
