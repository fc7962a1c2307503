import {
  buildNoticeDocument,
  documentDate,
  measureParams,
  type NoticeKind,
  type NoticeSource,
  noticeTitle,
  responseLevel,
} from './notice-document';

const measure = {
  line: '1#焦炉',
  action: 'LIMIT_PERCENT' as const,
  params: { percent: 30 },
  description: '焦炉限产',
  reduction: { so2: 1200.5, nox: 300, pm: 40, vocs: 0 },
  verification: 'POWER_SUBMETER' as const,
  fromAt: null,
  toAt: '2026-11-30T20:00:00+08:00',
};

const source = (over: Partial<NoticeSource> = {}): NoticeSource => ({
  kind: 'ISSUED',
  documentNumber: '吕重污应急〔2026〕12号',
  releasedAt: new Date('2026-11-28T02:00:00Z'),
  addressee: { name: '山西福裕焦化有限公司', creditCode: '91141100MA0000000X' },
  alertCode: '2026-003',
  level: 'ORANGE',
  previousLevel: null,
  counties: [
    { code: '141181', name: '孝义市' },
    { code: '141182', name: '汾阳市' },
  ],
  effectiveAt: new Date('2026-11-28T12:00:00Z'),
  expectedEndAt: new Date('2026-12-01T12:00:00Z'),
  basis: {
    consultation: { heldAt: new Date('2026-11-28T01:00:00Z'), opinion: '未来三天扩散条件差' },
    ruleset: { id: 'MEE-2024', name: '生态环境部2024年重污染天气预警分级标准' },
    directives: [],
  },
  noticeType: 'MANDATORY',
  measures: [measure],
  deadlines: {
    receiptDueAt: new Date('2026-11-28T12:00:00Z'),
    reportDueAt: new Date('2026-11-28T14:00:00Z'),
  },
  consequence: '依法查处',
  bureau: { name: '孝义市生态环境分局', phone: '0358-5551012', email: 'xiaoyi@x.cn' },
  dutyOffice: { name: '指挥部办公室', phone: '0358-8221234', email: 'duty@x.cn' },
  issuer: { name: '吕梁市重污染天气应急指挥部', office: '吕梁市重污染天气应急指挥部办公室' },
  ...over,
});

describe('the notice document', () => {
  it.each<[NoticeKind, string]>([
    ['ISSUED', '关于启动重污染天气橙色预警（Ⅱ级应急响应）的通知'],
    ['UPGRADED', '关于将重污染天气黄色预警升级为橙色预警（Ⅱ级应急响应）的通知'],
    ['DOWNGRADED', '关于将重污染天气黄色预警降级为橙色预警（Ⅱ级应急响应）的通知'],
    ['EXTENDED', '关于延长重污染天气橙色预警（Ⅱ级应急响应）的通知'],
    ['LIFTED', '关于解除重污染天气橙色预警（Ⅱ级应急响应）的通知'],
    ['CANCELLED', '关于撤销重污染天气橙色预警的通知'],
    ['EXPIRED', '关于重污染天气橙色预警到期解除的通知'],
    ['HEADS_UP', '关于做好重污染天气应对准备的提示'],
  ])('titles a %s notice %s', (kind, title) => {
    expect(noticeTitle(kind, 'ORANGE', 'YELLOW')).toBe(title);
    expect(buildNoticeDocument(source({ kind, previousLevel: 'YELLOW' })).title).toBe(title);
  });

  it('gives each level its response level', () => {
    expect(['BLUE', 'YELLOW', 'ORANGE', 'RED'].map((l) => responseLevel(l as 'RED'))).toEqual([
      'Ⅳ级',
      'Ⅲ级',
      'Ⅱ级',
      'Ⅰ级',
    ]);
    const red = buildNoticeDocument(source({ level: 'RED' }));
    expect(red.title).toBe('关于启动重污染天气红色预警（Ⅰ级应急响应）的通知');
    expect(red.facts).toContainEqual({ label: '响应级别', value: 'Ⅰ级应急响应' });
  });

  it('states the basis: the consultation and the ruleset, and the directive when there is one', () => {
    const plain = buildNoticeDocument(source());
    expect(plain.opening).toBe(
      '根据2026年11月28日重污染天气会商意见(未来三天扩散条件差),按照《生态环境部2024年重污染天气预警分级标准》,吕梁市重污染天气应急指挥部决定自2026年11月28日 20:00起在孝义市、汾阳市启动重污染天气橙色预警(预警编号 2026-003),实施Ⅱ级应急响应,预计持续至2026年12月01日 20:00。',
    );
    expect(plain.basis.directives).toEqual([]);
    const directed = buildNoticeDocument(
      source({
        basis: {
          ...source().basis,
          directives: [{ number: '晋气防办调〔2026〕4号', issuer: '山西省大气办', kindName: '省级调度令' }],
        },
      }),
    );
    expect(directed.opening).toMatch(
      /^根据山西省大气办省级调度令\(晋气防办调〔2026〕4号\)要求,根据2026年11月28日/,
    );
    expect(directed.basis.directives).toEqual(['山西省大气办省级调度令(晋气防办调〔2026〕4号)']);
  });

  it('carries number, addressee, measures with parameters, deadlines, consequence, contacts, issuer and date', () => {
    const d = buildNoticeDocument(source());
    expect(d).toMatchObject({
      number: '吕重污应急〔2026〕12号',
      addressee: '山西福裕焦化有限公司',
      counties: '孝义市、汾阳市',
      neutral: false,
      consequence: '依法查处',
      issuer: '吕梁市重污染天气应急指挥部',
      date: '2026年11月28日',
    });
    expect(d.measures).toEqual([
      {
        line: '1#焦炉',
        action: '限产',
        params: '限产 30%',
        description: '焦炉限产',
        window: '至 2026年11月30日 20:00 止',
        verification: '分表计电',
        reduction: 'SO2 1,200.5 / NOx 300 / 颗粒物 40 / VOCs 0',
      },
    ]);
    expect(d.deadlines).toEqual([
      { label: '签收截止', value: '2026年11月28日 20:00前确认收到本通知' },
      { label: '落实报告截止', value: '2026年11月28日 22:00前报告措施落实情况' },
    ]);
    expect(d.contacts).toEqual([
      { label: '孝义市生态环境分局', value: '电话 0358-5551012,邮箱 xiaoyi@x.cn' },
      { label: '指挥部办公室(值班室)', value: '电话 0358-8221234,邮箱 duty@x.cn' },
    ]);
  });

  it('sets ending notices in neutral colours, without measures, deadlines or consequence', () => {
    for (const kind of ['LIFTED', 'CANCELLED', 'EXPIRED'] as const) {
      const d = buildNoticeDocument(
        source({ kind, measures: [], deadlines: null, endedAt: new Date('2026-11-30T00:00:00Z') }),
      );
      expect(d.neutral).toBe(true);
      expect(d.measuresIntro).toBeNull();
      expect(d.deadlines).toEqual([]);
      expect(d.consequence).toBeNull();
    }
    expect(
      buildNoticeDocument(source({ kind: 'EXPIRED', endedAt: new Date('2026-11-30T00:00:00Z') })).opening,
    ).toContain('已于 2026年11月30日 08:00 到期结束');
  });

  it('tells voluntary and protected enterprises what applies to them, and one without measures to call', () => {
    expect(
      buildNoticeDocument(source({ noticeType: 'VOLUNTARY', gradeName: 'A级' })).measuresIntro,
    ).toContain('绩效等级为A级,按规定自主采取减排措施');
    expect(
      buildNoticeDocument(source({ noticeType: 'PROTECTED', protectedReason: '供热', protectedMaxLoad: 60 }))
        .measuresIntro,
    ).toContain('核定最大负荷 60%');
    expect(buildNoticeDocument(source({ measures: [] })).measuresIntro).toContain('没有本级别措施');
  });

  it('words measure parameters with their units', () => {
    expect(measureParams('CONCENTRATION_CAP', { pm: 5, so2: 15, nox: 50 })).toBe(
      '颗粒物 ≤ 5 mg/m³、SO2 ≤ 15 mg/m³、NOx ≤ 50 mg/m³',
    );
    expect(measureParams('STOP_SHARE', { share: 50, unit: '炭化室' })).toBe('停产 50%的炭化室');
    expect(measureParams('EXTEND_COKING_HOURS', { hours: 36 })).toBe('结焦时间延长至 36 小时');
    expect(measureParams('FEED_CAP', { tonsPerDay: 800 })).toBe('投料不超过 800 吨/日');
    expect(measureParams('STOP', {})).toBe('');
  });

  it('marks a notice released before numbering, and dates documents in Beijing', () => {
    expect(buildNoticeDocument(source({ documentNumber: null })).numberText).toContain('尚未编文号');
    expect(documentDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027年1月1日');
  });
});
