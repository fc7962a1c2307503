import {
  campaignRulesOf,
  DEFAULT_OZONE_RULES,
  DEFAULT_STAGGER_RULES,
  ozoneDecision,
  staggerDecision,
} from '../campaigns/campaign.rules';
import type { EnterpriseYear } from '../campaigns/enterprise-year.service';
import {
  campaignEnterpriseRow,
  campaignFilters,
  campaignHref,
  campaignQueryString,
  countyCountRows,
  isCalendarDay,
  kindTabs,
  ozoneRulesText,
  seasonText,
  staggerRulesText,
  treatmentName,
  yearCard,
} from './campaign-view.rules';

const names: Record<string, string> = { COKING: '炼焦', CEMENT: '水泥', INDUSTRIAL_COATING: '工业涂装' };
const industryName = (c: string) => names[c] ?? c;

describe('campaignFilters and the query string', () => {
  it('reads the kind, the counties (repeated or comma-separated), the date, 仅看从严管控 and the page', () => {
    expect(
      campaignFilters({
        kind: 'SUMMER_OZONE',
        counties: ['141181', '141129,141181'],
        date: '2027-07-15',
        escalated: '1',
        page: '3',
      }),
    ).toEqual({
      kind: 'SUMMER_OZONE',
      counties: ['141181', '141129'],
      date: '2027-07-15',
      escalated: true,
      page: 3,
    });
  });

  it('drops what it cannot read: the default kind, no bad county, no impossible day, page 1', () => {
    expect(
      campaignFilters({ kind: 'WINTER', counties: 'abc', date: '2026-02-30', escalated: 'yes', page: '0' }),
    ).toEqual({ kind: 'AUTUMN_WINTER', counties: [], escalated: false, page: 1 });
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2027-02-29')).toBe(false);
  });

  it('writes the filters back, leaving out the defaults, so a link keeps what was chosen', () => {
    const f = campaignFilters({ kind: 'SUMMER_OZONE', counties: '141181,141129', escalated: '1' });
    expect(campaignQueryString(f, 2)).toBe(
      'kind=SUMMER_OZONE&counties=141181&counties=141129&escalated=1&page=2',
    );
    expect(campaignHref(campaignFilters({}))).toBe('/campaigns');
    expect(campaignFilters(Object.fromEntries(new URLSearchParams(campaignQueryString(f, 2))))).toMatchObject(
      {
        kind: 'SUMMER_OZONE',
        escalated: true,
        page: 2,
      },
    );
  });

  it('offers both kinds as tabs, the chosen one marked, each back at page 1 with the counties kept', () => {
    const tabs = kindTabs(campaignFilters({ counties: '141181', page: '2' }));
    expect(tabs.map((t) => [t.name, t.selected, t.href])).toEqual([
      ['秋冬季差异化错峰生产', true, '/campaigns?counties=141181'],
      ['夏季臭氧污染应对', false, '/campaigns?kind=SUMMER_OZONE&counties=141181'],
    ]);
  });
});

describe('the rules in words', () => {
  it('says a season across the new year with 次年, one within the year without', () => {
    expect(seasonText({ from: '11-01', to: '03-31' })).toBe('11月1日至次年3月31日');
    expect(seasonText({ from: '05-01', to: '09-30' })).toBe('5月1日至9月30日');
  });

  it('lists which grades stop, stagger and are exempt, the industries’ rules and the escalations', () => {
    const t = staggerRulesText(DEFAULT_STAGGER_RULES, industryName);
    expect(t.grades).toEqual([
      { name: '停产', grades: 'D级' },
      { name: '错峰生产', grades: 'B-级、C级、非引领性、未分级' },
      { name: '不纳入错峰', grades: 'A+级、A级、B级、引领性' },
    ]);
    expect(t.industries).toContain('炼焦:结焦时间延长至48小时');
    expect(t.industries[t.industries.length - 1]).toBe('其他行业:错峰期间限产30%');
    expect(t.escalations).toContain('位于平川四县(太原及周边“1+30”联防联控区):按低一级管控');
    expect(t.escalations).toContain('未完成干熄焦改造的焦化企业:加严,湿熄焦炉组停产30%炭化室');
  });

  it('says the ozone response’s scope, window and measure', () => {
    const t = ozoneRulesText(DEFAULT_OZONE_RULES, industryName);
    expect(t).toMatchObject({
      season: '5月1日至9月30日',
      window: '10:00–16:00',
      baseline: 'VOCs排放量不低于100千克/日的企业(不论行业)',
    });
    expect(t.industries).toContain('工业涂装');
  });

  it('names the ozone response’s scope 错时生产, not 错峰生产', () => {
    expect(treatmentName('SUMMER_OZONE', 'STAGGER')).toBe('错时生产');
    expect(treatmentName('SUMMER_OZONE', 'EXEMPT')).toBe('不纳入');
    expect(treatmentName('AUTUMN_WINTER', 'APPROVED_LOAD')).toBe('按核定负荷生产');
  });
});

describe('countyCountRows', () => {
  const counts = (STOP: number, STAGGER: number, APPROVED_LOAD: number, EXEMPT: number) => ({
    STOP,
    STAGGER,
    APPROVED_LOAD,
    EXEMPT,
  });

  it('gives a row per county in the kind’s columns, and a 合计 row when there are several', () => {
    const t = countyCountRows({
      kind: 'AUTUMN_WINTER',
      total: 7,
      byCounty: [
        { countyCode: '141181', countyName: '孝义市', counts: counts(2, 1, 0, 1) },
        { countyCode: '141129', countyName: '中阳县', counts: counts(0, 2, 1, 0) },
      ],
      byTreatment: [
        { treatment: 'STOP', name: '停产', n: 2 },
        { treatment: 'STAGGER', name: '错峰生产', n: 3 },
        { treatment: 'APPROVED_LOAD', name: '按核定负荷生产', n: 1 },
        { treatment: 'EXEMPT', name: '不纳入错峰', n: 1 },
      ],
    });
    expect(t.columns.map((c) => c.name)).toEqual(['停产', '错峰生产', '按核定负荷生产', '不纳入错峰']);
    expect(t.rows.map((r) => [r.name, ...r.cells, r.total])).toEqual([
      ['孝义市', 2, 1, 0, 1, 4],
      ['中阳县', 0, 2, 1, 0, 3],
    ]);
    expect(t.totals).toEqual({ name: '合计', cells: [2, 3, 1, 1], total: 7 });
  });

  it('shows the ozone response as in scope or not, without a total for one county', () => {
    const t = countyCountRows({
      kind: 'SUMMER_OZONE',
      total: 3,
      byCounty: [{ countyCode: '141129', countyName: '中阳县', counts: counts(0, 2, 0, 1) }],
      byTreatment: [
        { treatment: 'STAGGER', name: '错峰生产', n: 2 },
        { treatment: 'EXEMPT', name: '不纳入错峰', n: 1 },
      ],
    });
    expect(t.columns.map((c) => c.name)).toEqual(['纳入臭氧污染应对', '不纳入']);
    expect(t.rows[0].cells).toEqual([2, 1]);
    expect(t.totals).toBeNull();
  });
});

describe('campaignEnterpriseRow', () => {
  it('shows the grade it is held to when a place lowered it, and marks it held stricter', () => {
    const row = campaignEnterpriseRow(
      {
        enterpriseId: 'e1',
        name: '孝义C级铁合金',
        creditCode: 'x',
        countyCode: '141181',
        grade: 'C',
        gradeName: 'C级',
        treatment: 'STOP',
        treatmentName: '停产',
        effectiveGrade: 'D',
        measures: ['停产'],
        reasons: [],
        escalatedBy: ['JOINT_CONTROL_AREA'],
      },
      'AUTUMN_WINTER',
      '孝义市',
    );
    expect(row).toMatchObject({
      countyName: '孝义市',
      treatmentName: '停产',
      loweredGrade: 'D级',
      escalated: true,
    });
  });
});

describe('yearCard: an enterprise’s controls over the year', () => {
  const rules = campaignRulesOf({});
  const subject = {
    grade: 'C' as const,
    industry: 'COKING',
    isProtected: false,
    protectedMaxLoad: null,
    controlTags: [],
    jointControlArea: true,
    lines: [],
  };
  const year = (over: Partial<EnterpriseYear> = {}): EnterpriseYear => ({
    date: '2026-12-01',
    year: 2026,
    rulesetId: 'r1',
    rulesetName: '吕梁市2026版',
    grade: 'C',
    autumnWinter: {
      rules: rules.AUTUMN_WINTER,
      inSeason: true,
      decision: staggerDecision(subject, rules.AUTUMN_WINTER),
    },
    summerOzone: {
      rules: rules.SUMMER_OZONE,
      inSeason: false,
      decision: ozoneDecision({ grade: 'C', industry: 'COKING', baselineVocs: 0 }, rules.SUMMER_OZONE)!,
    },
    warningEscalation: [],
    orders: [],
    ...over,
  });

  it('gives the staggered-production treatment with the grade it is held to, and the ozone scope with its window', () => {
    const card = yearCard(year(), industryName);
    expect(card.autumnWinter).toMatchObject({
      season: '11月1日至次年3月31日',
      inSeason: true,
      treatmentName: '停产',
      loweredGrade: 'D级',
      measures: ['停产'],
      escalated: true,
    });
    expect(card.autumnWinter.reasons).toContain('位于平川四县(太原及周边“1+30”联防联控区),按低一级(D级)管控');
    expect(card.summerOzone).toMatchObject({ inScope: true, window: '10:00–16:00', inSeason: false });
    expect(card.summerOzone.reasons[0]).toBe('涉VOCs排放行业');
  });

  it('says a warning holds it to the next level when the ruleset escalates its county, else 无从严要求', () => {
    expect(yearCard(year(), industryName).warning).toEqual({
      escalated: false,
      text: '无从严要求:预警期间执行本级预警的减排措施。',
    });
    const escalated = yearCard(year({ warningEscalation: ['JOINT_CONTROL_AREA'] }), industryName).warning;
    expect(escalated.escalated).toBe(true);
    expect(escalated.text).toMatch(/^位于平川四县.*执行高一级预警的减排措施/);
  });

  it('lists this year’s warnings with the measure level only where it was raised, and the order state in words', () => {
    const card = yearCard(
      year({
        orders: [
          {
            orderId: 'o1',
            alertId: 'a1',
            alertCode: 'LL-2026-001',
            alertStatus: 'ACTIVE',
            kind: 'WARNING',
            campaignName: null,
            effectiveAt: new Date('2026-12-01T02:00:00Z'),
            expectedEndAt: null,
            level: 'ORANGE',
            measures: ['限产50%'],
            reasons: [],
            measureLevel: 'RED',
            escalatedBy: ['JOINT_CONTROL_AREA'],
            state: 'RECEIVED',
          },
          {
            orderId: 'o2',
            alertId: 'a2',
            alertCode: 'LL-2026-000',
            alertStatus: 'LIFTED',
            kind: 'WARNING',
            campaignName: null,
            effectiveAt: new Date('2026-01-10T02:00:00Z'),
            expectedEndAt: null,
            level: 'YELLOW',
            measures: [],
            reasons: [],
            measureLevel: 'YELLOW',
            escalatedBy: [],
            state: 'LIFTED',
          },
        ],
      }),
      industryName,
    );
    expect(card.orders.map((o) => [o.alertCode, o.measureLevelName, o.stateName])).toEqual([
      ['LL-2026-001', '红色预警措施', '已签收'],
      ['LL-2026-000', null, '已解除'],
    ]);
    expect(card.orders[0].escalatedByText).toBe('位于平川四县(太原及周边“1+30”联防联控区)');
  });

  it('lists this year’s campaigns apart from the warnings, by name, with the order’s measures and reasons', () => {
    const card = yearCard(
      year({
        orders: [
          {
            orderId: 'o3',
            alertId: 'c1',
            alertCode: 'CW2026-004',
            alertStatus: 'ISSUED',
            kind: 'CAMPAIGN',
            campaignName: '2026—2027年秋冬季差异化错峰生产',
            effectiveAt: new Date('2026-12-01T16:00:00Z'),
            expectedEndAt: new Date('2027-03-31T15:59:00Z'),
            level: 'NONE' as 'RED',
            measureLevel: null,
            escalatedBy: [],
            measures: ['停产'],
            reasons: ['绩效等级C级', '停产:停产'],
            state: 'SENT',
          },
        ],
      }),
      industryName,
    );
    expect(card.orders).toEqual([]);
    expect(card.campaigns).toEqual([
      {
        orderId: 'o3',
        alertId: 'c1',
        name: '2026—2027年秋冬季差异化错峰生产',
        effectiveAt: new Date('2026-12-01T16:00:00Z'),
        expectedEndAt: new Date('2027-03-31T15:59:00Z'),
        measures: ['停产'],
        reasons: ['绩效等级C级', '停产:停产'],
        stateName: '已送达',
      },
    ]);
  });
});
