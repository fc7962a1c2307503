import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import { enterpriseInput } from '../factories/enterprise.factory';
import { all, capProblems, parseXml, text } from '../support/cap-check';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * Issue 20, CAP 1.2 for public warnings: an Atom index and one CAP message per released revision, linked by
 * references across an issue → upgrade → lift; public county pages; no login, nothing private.
 */
describe('the public CAP feed and warning pages', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let alertId: string;
  const job = () => t.app.get(AlertTransitionsJob);

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720', APP_URL: 'http://haze.example.cn' } });
    t.clock.set('2026-12-01T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER'], 'duty-public');
    commander = await t.signIn(['COMMANDER'], 'cmd-public');
    const admin = await t.signIn(['ADMIN']);
    await admin
      .post('/api/enterprises')
      .send(enterpriseInput({ name: '公开源测试焦化有限公司', countyCode: '141102' }))
      .expect(201);
  });
  afterAll(() => t.close());

  const feed = async () => {
    const res = await t.http().get('/public/warnings.atom').expect(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    return parseXml(res.text);
  };
  const capOf = async (href: string) => {
    const res = await t.http().get(new URL(href).pathname).expect(200);
    expect(res.headers['content-type']).toBe('application/cap+xml; charset=utf-8');
    return res.text;
  };

  it('answers an empty feed and a page saying no warning is in force before any warning', async () => {
    const root = await feed();
    expect(all(root, 'entry')).toEqual([]);
    expect(text(root, 'updated')).toBe('2026-12-01T10:00:00+08:00');
    const page = await t.http().get('/public').expect(200);
    expect(page.headers['cache-control']).toBe('public, max-age=60');
    expect(page.text).toContain('目前全市没有生效中的重污染天气预警');
  });

  it('publishes each released revision of an issue → upgrade → lift, each message valid and referencing the earlier ones', async () => {
    const created = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141102', '141181'],
        effectiveAt: '2026-12-01T12:00:00+08:00',
        expectedEndAt: '2026-12-04T00:00:00+08:00',
        reason: '未来三天AQI将超过150',
      })
      .expect(201);
    alertId = created.body.id;
    // A draft is not released: nothing public yet.
    expect(all(await feed(), 'entry')).toEqual([]);
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);

    // Scheduled, not yet in force.
    let county = await t.http().get('/public/counties/141102').expect(200);
    expect(county.text).toContain('离石区目前没有生效中的重污染天气预警');
    expect(county.text).toContain('2026年12月01日 12:00起实施黄色预警');

    t.clock.set('2026-12-01T12:00:30+08:00');
    await job().run();
    county = await t.http().get('/public/counties/141102').expect(200);
    expect(county.text).toMatch(/当前:<span class="level level-YELLOW">黄色<\/span>/);
    expect(county.text).toContain('自2026年12月01日 12:00起实施,预计持续至2026年12月04日 00:00');
    expect(county.text).toContain('一般人群减少户外运动');

    t.clock.set('2026-12-01T13:00:00+08:00');
    await duty
      .post(`/api/alerts/${alertId}/adjust`)
      .send({ level: 'ORANGE', effectiveAt: '2026-12-01T14:00:00+08:00', reason: '预报加重' })
      .expect(200);
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    t.clock.set('2026-12-02T09:00:00+08:00');
    await job().run();
    await duty
      .post(`/api/alerts/${alertId}/lift`)
      .send({ effectiveAt: '2026-12-02T10:00:00+08:00', reason: '空气质量好转' })
      .expect(200);
    await commander
      .post(`/api/alerts/${alertId}/approve`)
      .send({ overrideReason: '现场核实已好转' })
      .expect(200);

    const entries = all(await feed(), 'entry');
    expect(entries.map((e) => text(e, 'title'))).toEqual([
      '吕梁市离石区、孝义市解除重污染天气橙色预警',
      '吕梁市离石区、孝义市重污染天气预警升级为橙色预警',
      '吕梁市离石区、孝义市发布重污染天气黄色预警',
    ]);
    const messages = await Promise.all(
      entries.reverse().map((e) => capOf(e.children.find((c) => c.name === 'link')!.attrs.href)),
    );
    for (const xml of messages) expect(capProblems(xml)).toEqual([]);
    const [issue, upgrade, lift] = messages.map(parseXml);
    expect([issue, upgrade, lift].map((m) => text(m, 'msgType'))).toEqual(['Alert', 'Update', 'Cancel']);
    expect([issue, upgrade, lift].map((m) => text(m, 'info', 'severity'))).toEqual([
      'Moderate',
      'Severe',
      'Minor',
    ]);
    const ref = (m: ReturnType<typeof parseXml>) =>
      `${text(m, 'sender')},${text(m, 'identifier')},${text(m, 'sent')}`;
    expect(text(issue, 'references')).toBeUndefined();
    expect(text(upgrade, 'references')).toBe(ref(issue));
    expect(text(lift, 'references')).toBe(`${ref(issue)} ${ref(upgrade)}`);
    expect(new Set([issue, upgrade, lift].map((m) => text(m, 'incidents'))).size).toBe(1);
    expect(text(issue, 'sender')).toBe('haze@haze.example.cn');
    expect(text(issue, 'sent')).toBe('2026-12-01T10:00:00+08:00');
    expect(text(upgrade, 'info', 'effective')).toBe('2026-12-01T14:00:00+08:00');
    expect(all(issue, 'geocode').map((g) => text(g, 'value'))).toEqual(['141102', '141181']);
    expect(text(issue, 'info', 'description')).toMatch(/文号:吕重污应急〔2026〕\d+号/);

    // Nothing private: no enterprise, no person, no internal id but the revision's own in its URL.
    for (const xml of messages) {
      expect(xml).not.toContain('公开源测试焦化有限公司');
      expect(xml).not.toMatch(/duty-public|cmd-public/);
    }
  });

  it('shows the county back to no warning after the lift, and the city page lists every county', async () => {
    t.clock.set('2026-12-02T10:00:30+08:00');
    await job().run();
    const county = await t.http().get('/public/counties/141181').expect(200);
    expect(county.text).toContain('孝义市目前没有生效中的重污染天气预警');
    const page = await t.http().get('/public').expect(200);
    expect((page.text.match(/data-county="\d{6}"/g) ?? []).length).toBe(13);
  });

  it('answers 404 in Chinese for an unknown message or county, and needs no login', async () => {
    const bad = await t.http().get('/public/cap/not-a-uuid').expect(404);
    expect(bad.text).toContain('没有这条预警信息');
    await t.http().get('/public/cap/00000000-0000-4000-8000-000000000000').expect(404);
    const county = await t.http().get('/public/counties/999999').expect(404);
    expect(county.text).toContain('没有代码为“999999”的区县');
  });
});
