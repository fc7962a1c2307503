import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;
const r = (v: number) => ({ so2: v, nox: v, pm: v, vocs: v });
const LEAD_TIME_MESSAGE = '生效时间距现在不足24小时(规则集 PM-25 提前量),须说明理由,如:污染已较重,尽快启动';

/**
 * A ruleset version with per-pollutant ratios (YELLOW: PM 25%, the others 10%) used by a consultation and the
 * warning drafted from it. 孝义市 141181 has an inventory of 1000 kg/d of each pollutant and one enterprise whose
 * YELLOW measure takes off 150 of SO2, NOx and VOCs (15%) and 200 of PM (20%): enough at 10%, short of 25% for
 * PM. Under MEE-2024 (10% for all four) the same list passes.
 */
describe('ruleset knobs: per-pollutant ratios in adequacy and the preview, the lead time of a draft', () => {
  let t: TestApp;
  let admin: Agent;
  let duty: Agent;
  let commander: Agent;
  let consultationId: string;
  let alertId: string;
  let consultation: { recommendations: unknown[] };

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    [admin, duty, commander] = await Promise.all([
      t.signIn(['ADMIN']),
      t.signIn(['DUTY_OFFICER']),
      t.signIn(['COMMANDER']),
    ]);
    await admin
      .post('/api/rulesets')
      .send({
        id: 'PM-25',
        name: '颗粒物减排比例25%',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2030-01-01', // used only through the consultation that names it
        reductionRatios: { YELLOW: { so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 } },
      })
      .expect(201);
    await admin.put('/api/inventory/141181').send(r(1000)).expect(200);
    const { body } = await admin
      .post('/api/enterprises')
      .send(
        enterpriseInput({
          name: '孝义测试焦化有限公司',
          countyCode: '141181',
          grade: 'C',
          baseline: r(1000),
        }),
      )
      .expect(201);
    await admin
      .put(`/api/enterprises/${body.id}/plan`)
      .send({
        measures: [measure({ level: 'YELLOW', reduction: { so2: 150, nox: 150, pm: 200, vocs: 150 } })],
      })
      .expect(200);
    const c = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-28T09:00:00+08:00',
        participants: ['市生态环境局', '市气象局'],
        opinion: '孝义市29日将出现重污染',
        rulesetId: 'PM-25',
        forecasts: [
          { countyCode: '141181', date: '2026-11-29', aqi: 210, primaryPollutant: 'PM2.5' },
          { countyCode: '141181', date: '2026-11-30', aqi: 120, primaryPollutant: 'PM2.5' },
          { countyCode: '141181', date: '2026-12-01', aqi: 110, primaryPollutant: 'PM2.5' },
          { countyCode: '141102', date: '2026-11-29', aqi: 220, primaryPollutant: 'PM2.5' },
          { countyCode: '141102', date: '2026-11-30', aqi: 100, primaryPollutant: 'PM2.5' },
          { countyCode: '141102', date: '2026-12-01', aqi: 90, primaryPollutant: 'PM2.5' },
        ],
      })
      .expect(201);
    consultationId = c.body.id;
    consultation = c.body;
  });
  afterAll(() => t.close());

  const draft = (over: Record<string, unknown> = {}) =>
    duty.post('/api/alerts').send({
      level: 'YELLOW',
      countyCodes: ['141181'],
      effectiveAt: '2026-11-29T00:00:00+08:00', // 14 hours from now
      consultationId,
      ...over,
    });

  it('drafts from a consultation under the version, recommending YELLOW for both counties', () => {
    expect(consultation.recommendations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ countyCode: '141181', level: 'YELLOW' }),
        expect.objectContaining({ countyCode: '141102', level: 'YELLOW' }),
      ]),
    );
  });

  it('judges adequacy per pollutant: PM against 25%, the others against 10%', async () => {
    const { body } = await admin
      .get('/api/reduction-list/adequacy?rulesetId=PM-25&countyCode=141181')
      .expect(200);
    const yellow = body.counties[0].levels.find((l: { level: string }) => l.level === 'YELLOW');
    expect(yellow.required).toEqual({ so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 });
    expect(yellow.pollutants).toEqual({
      so2: { baseline: 1000, reduction: 150, ratio: 0.15, required: 0.1, ok: true },
      nox: { baseline: 1000, reduction: 150, ratio: 0.15, required: 0.1, ok: true },
      pm: { baseline: 1000, reduction: 200, ratio: 0.2, required: 0.25, ok: false },
      vocs: { baseline: 1000, reduction: 150, ratio: 0.15, required: 0.1, ok: true },
    });
    expect(yellow.ok).toBe(false);
    const base = await admin
      .get('/api/reduction-list/adequacy?rulesetId=MEE-2024&countyCode=141181')
      .expect(200);
    const baseYellow = base.body.counties[0].levels.find((l: { level: string }) => l.level === 'YELLOW');
    expect(baseYellow).toMatchObject({ required: 0.1, ok: true });
  });

  it('shows the per-pollutant requirement on the adequacy page', async () => {
    const page = await admin.get('/adequacy?countyCode=141181&rulesetId=PM-25').expect(200);
    const county = page.text.slice(page.text.indexOf('data-area="141181"'));
    const yellow = county.slice(0, county.indexOf('</div>\n  </div>'));
    const nums = [...yellow.matchAll(/<span class="bar-num">([^<]*)/g)].map((m) => m[1].trim());
    expect(nums).toEqual([
      '15.0% / 要求 10.0% ✓',
      '15.0% / 要求 10.0% ✓',
      '20.0% / 要求 25.0%',
      '15.0% / 要求 10.0% ✓',
    ]);
    expect(page.text).toContain('<option value="PM-25" selected>');
  });

  it('refuses a draft sooner than the lead time without a reason, naming the rule', async () => {
    const res = await draft().expect(422);
    expect(res.body.error.fields).toEqual([{ field: 'reason', message: LEAD_TIME_MESSAGE }]);
    expect(await t.dataSource.query('SELECT id FROM alert')).toEqual([]);
  });

  it('accepts it with a reason and records how short the lead time was', async () => {
    const res = await draft({ reason: '污染已较重,尽快启动' }).expect(201);
    alertId = res.body.id;
    expect(res.body.rulesetId).toBe('PM-25');
    expect(res.body.pendingChange).toMatchObject({
      reason: '污染已较重,尽快启动',
      leadTimeShort: { hours: 14, required: 24 },
    });
    const [entry] = await t.dataSource.getRepository(AuditEntry).findBy({ alertId, action: 'alert.drafted' });
    expect(entry.data).toMatchObject({ leadTimeShort: { hours: 14, required: 24 } });
  });

  it('accepts a draft exactly the lead time ahead without a reason, and records nothing short', async () => {
    const other = (effectiveAt: string) =>
      duty
        .post('/api/alerts')
        .send({ level: 'YELLOW', countyCodes: ['141102'], effectiveAt, consultationId });
    const minuteShort = await other('2026-11-29T09:59:00+08:00').expect(422);
    expect(minuteShort.body.error.fields).toEqual([{ field: 'reason', message: LEAD_TIME_MESSAGE }]);
    const ok = await other('2026-11-29T10:00:00+08:00').expect(201);
    expect(ok.body.pendingChange).toMatchObject({ reason: '按会商建议发布', leadTimeShort: null });
    const [entry] = await t.dataSource
      .getRepository(AuditEntry)
      .findBy({ alertId: ok.body.id, action: 'alert.drafted' });
    expect(entry.data).toMatchObject({ leadTimeShort: null });
  });

  it('judges the preview per pollutant: PM short of 25%, the others meet 10%', async () => {
    const { body } = await commander.get(`/api/alerts/${alertId}/preview`).expect(200);
    expect(body.rulesetId).toBe('PM-25');
    expect(
      body.reduction.map((x: { pollutant: string; required: number; ok: boolean }) => [
        x.pollutant,
        x.required,
        x.ok,
      ]),
    ).toEqual([
      ['so2', 0.1, true],
      ['nox', 0.1, true],
      ['pm', 0.25, false],
      ['vocs', 0.1, true],
    ]);
    expect(body.byCounty[0].reduction.find((x: { pollutant: string }) => x.pollutant === 'pm')).toMatchObject(
      {
        ratio: 0.2,
        required: 0.25,
        ok: false,
      },
    );
  });

  it('shows the shortfall and the short lead time on the approval card', async () => {
    const page = await commander.get('/approvals').expect(200);
    const shortfalls = [
      ...page.text.matchAll(/<li data-county="(\d+)" data-pollutant="(\w+)">([^<]*)<\/li>/g),
    ].map((m) => m[3]);
    expect(shortfalls).toEqual(['孝义市 颗粒物 20.0% &lt; 25%']);
    expect(page.text).toContain('提前量不足:提出时距生效14小时,规则集 PM-25 要求24小时');
    const detail = await commander.get(`/alerts/${alertId}`).expect(200);
    expect(detail.text).toContain('提前量不足:提出时距生效14小时,规则集 PM-25 要求24小时');
  });

  it('shows the lead time and the rule on the draft form', async () => {
    const form = await duty.get(`/alerts/new?consultationId=${consultationId}`).expect(200);
    // The form proposes tomorrow 00:00, 14 hours from now.
    expect(form.text).toContain('提前量:原则上应在生效前24小时发布(规则集 PM-25)');
    expect(form.text).toContain('所填生效时间距现在14小时,不足24小时,须填写理由。');
  });
});
