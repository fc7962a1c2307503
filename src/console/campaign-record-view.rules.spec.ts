import type { AlertView } from '../alerts/alert-views.service';
import {
  campaignDraftPlain,
  campaignPeriodText,
  campaignRecordRow,
  campaignScopeText,
  draftKind,
  issuingDocumentNumber,
  labelledErrors,
  seasonEndInput,
} from './campaign-record-view.rules';

const names = { '141181': '孝义市', '141129': '中阳县' };

function view(over: Partial<AlertView> = {}): AlertView {
  return {
    id: 'c1',
    code: 'CW2026-001',
    kind: 'CAMPAIGN',
    campaign: {
      kind: 'AUTUMN_WINTER',
      kindName: '秋冬季差异化错峰生产',
      name: '2026—2027年秋冬季差异化错峰生产',
      industries: null,
      grades: null,
      tags: null,
      day: null,
      window: null,
    },
    status: 'ISSUED',
    statusName: '已发布(未生效)',
    level: 'NONE' as AlertView['level'],
    levelName: '2026—2027年秋冬季差异化错峰生产',
    countyCodes: ['141181', '141129'],
    effectiveAt: new Date('2026-12-01T16:00:00Z'),
    expectedEndAt: new Date('2027-03-31T15:59:00Z'),
    liftedAt: null,
    expiryDocumentNumber: null,
    rulesetId: 'MEE-2024',
    createdBy: 'zhiban',
    createdAt: new Date('2026-12-01T02:00:00Z'),
    directives: [],
    pendingChange: null,
    revisions: [],
    rejectedChanges: [],
    orderCounts: {
      total: 7,
      byState: {},
      byDelivery: {},
      received: 0,
      executed: 0,
      noEmail: 0,
      noPlan: 0,
      scheduled: { total: 0, byDelivery: {} },
      endNotices: { total: 0, byDelivery: {} },
    },
    ...over,
  };
}

const revision = (kind: 'ISSUE' | 'LIFT', documentNumber: string | null) =>
  ({ kind, documentNumber }) as AlertView['revisions'][number];

describe('campaign record view rules', () => {
  it('gives a staggered production its period and an ozone day its day and window', () => {
    expect(campaignPeriodText(view())).toBe('2026年12月02日 00:00 至 2027年03月31日 23:59');
    expect(campaignPeriodText(view({ expectedEndAt: null }))).toBe('2026年12月02日 00:00 至 另行通知');
    const ozone = view({
      campaign: {
        ...view().campaign!,
        kind: 'SUMMER_OZONE',
        day: '2027-06-12',
        window: { from: '10:00', to: '16:00' },
      },
    });
    expect(campaignPeriodText(ozone)).toBe('2027年6月12日 10:00–16:00(臭氧污染应对日)');
  });

  it('takes the 文号 of the issuing revision, none before approval', () => {
    expect(issuingDocumentNumber(view())).toBeNull();
    expect(
      issuingDocumentNumber(
        view({ revisions: [revision('ISSUE', '吕错峰〔2026〕3号'), revision('LIFT', '吕错峰〔2026〕9号')] }),
      ),
    ).toBe('吕错峰〔2026〕3号');
  });

  it('lists a record with its counties in words (全市 when it covers every county) and its enterprises', () => {
    const row = campaignRecordRow(view(), names, 13);
    expect(row).toMatchObject({
      name: '2026—2027年秋冬季差异化错峰生产',
      kindName: '秋冬季差异化错峰生产',
      counties: '孝义市、中阳县',
      statusName: '已发布(未生效)',
      documentNumber: null,
      enterprises: 7,
    });
    expect(campaignRecordRow(view(), names, 2).counties).toBe('全市');
  });

  it('says the scope filters in words, everyone when none', () => {
    expect(campaignScopeText({ industries: null, grades: null, tags: null }, (c) => c)).toEqual({
      industries: '全部行业',
      grades: '全部绩效等级',
      tags: '不限',
    });
    expect(
      campaignScopeText({ industries: ['COKING'], grades: ['C', 'D'], tags: ['BUILT_UP_AREA'] }, (c) =>
        c === 'COKING' ? '焦化' : c,
      ),
    ).toEqual({ industries: '焦化', grades: 'C级、D级', tags: '位于建成区的重污染企业' });
  });

  it('reads the draft form into the API body, only the fields of the chosen kind, times in Beijing', () => {
    const form = {
      kind: 'AUTUMN_WINTER',
      name: ' ',
      countyCodes: ['141181', '141129'],
      effectiveAt: '2026-12-02T00:00',
      expectedEndAt: '2027-03-31T23:59',
      day: '2027-06-12',
      consultationId: '',
      reason: '按方案实施',
    };
    expect(campaignDraftPlain(form)).toEqual({
      kind: 'AUTUMN_WINTER',
      countyCodes: ['141181', '141129'],
      effectiveAt: '2026-12-02T00:00:00+08:00',
      expectedEndAt: '2027-03-31T23:59:00+08:00',
      reason: '按方案实施',
    });
    expect(
      campaignDraftPlain({ ...form, kind: 'SUMMER_OZONE', wholeCity: '1', consultationId: 'x1', reason: '' }),
    ).toEqual({ kind: 'SUMMER_OZONE', wholeCity: true, day: '2027-06-12', consultationId: 'x1' });
    // No kind chosen: the API names the field.
    expect(campaignDraftPlain({})).toEqual({ kind: '', countyCodes: [] });
  });

  it('defaults the end to the last minute of the season in progress or next', () => {
    expect(seasonEndInput({ to: '03-31' }, '2026-12-01')).toBe('2027-03-31T23:59');
    expect(seasonEndInput({ to: '03-31' }, '2027-02-10')).toBe('2027-03-31T23:59');
    expect(seasonEndInput({ to: '03-31' }, '2027-03-31')).toBe('2027-03-31T23:59');
  });

  it('offers the staggered production unless the ozone response is asked for', () => {
    expect(draftKind({ kind: 'SUMMER_OZONE' })).toBe('SUMMER_OZONE');
    expect(draftKind({ kind: 'WINTER' })).toBe('AUTUMN_WINTER');
    expect(draftKind({})).toBe('AUTUMN_WINTER');
  });

  it('names the fields of errors in Chinese, never by their code', () => {
    expect(
      labelledErrors([
        { field: 'expectedEndAt', message: '不在秋冬季错峰生产期(11-01至03-31)内' },
        { field: 'countyCodes[0]', message: '未知区县代码 999999' },
        { field: 'other', message: '其他' },
      ]),
    ).toEqual([
      { label: '结束时间', message: '不在秋冬季错峰生产期(11-01至03-31)内' },
      { label: '区县', message: '未知区县代码 999999' },
      { label: '', message: '其他' },
    ]);
  });
});
