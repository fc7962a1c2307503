import { postForm } from '../support/console-forms';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/** The value a rendered form input carries (HTML-escaped as Handlebars writes it). */
const inputValue = (html: string, name: string) =>
  new RegExp(`name="${name.replace(/\./g, '\\.')}" value="([^"]*)"`).exec(html)?.[1];
/** The option selected in a rendered select. */
const selected = (html: string, name: string) =>
  new RegExp(`name="${name.replace(/\./g, '\\.')}"[^>]*>[\\s\\S]*?<option value="([^"]+)" selected`).exec(
    html,
  )?.[1];

/**
 * Issue 16, "The daily work made short → Consultation": 复制上次会商 and the paste route, as the server renders them
 * (the browser spec test/browser/consultation-paste.browser-spec.ts drives them in Chromium).
 */
describe('the consultation form: copying an earlier consultation, pasting a sheet', () => {
  let t: TestApp;
  let duty: Agent;

  beforeAll(async () => {
    // Sessions outlast the week the clock is moved on.
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-30T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER']);
  });
  afterAll(() => t.close());

  const record = (heldAt: string, participants: string[], aqi: number[]) =>
    duty
      .post('/api/consultations')
      .send({
        heldAt,
        participants,
        opinion: '静稳天气',
        forecasts: aqi.map((v, i) => ({
          countyCode: '141181',
          date: `2026-12-0${1 + i}`,
          aqi: v,
          primaryPollutant: i === 0 ? 'O3' : 'PM2.5',
        })),
      })
      .expect(201)
      .then((r) => r.body.id as string);

  it('offers no copy before anything is recorded, and says so when asked', async () => {
    const blank = await duty.get('/consultations/new').expect(200);
    expect(blank.text).not.toContain('id="copy-latest"');
    const asked = await duty.get('/consultations/new?copy=latest').expect(200);
    expect(asked.text).toContain('还没有会商记录可复制。');
  });

  it('copies the latest, or the one named, by date; an unknown one is a 404', async () => {
    const first = await record('2026-11-30T08:00:00+08:00', ['市生态环境局', '专家组'], [150, 160, 170]);
    await record('2026-11-30T09:00:00+08:00', ['市气象局'], [210, 220, 230, 240]);
    t.clock.set('2026-12-01T09:00:00+08:00'); // the grid now starts on 12-02

    const latest = await duty.get('/consultations/new?copy=latest').expect(200);
    expect(latest.text).toContain('id="copy-latest"');
    expect(latest.text).toContain('已复制2026年11月30日 09:00会商的预报(1个区县×3天');
    expect(inputValue(latest.text, 'date.0')).toBe('2026-12-02');
    expect(
      ['aqi.141181.0', 'aqi.141181.1', 'aqi.141181.2', 'aqi.141181.3'].map((n) => inputValue(latest.text, n)),
    ).toEqual(['220', '230', '240', '']);
    expect(latest.text).toMatch(/<textarea name="participants" rows="2">市气象局<\/textarea>/);
    expect(latest.text).toMatch(/<textarea name="opinion" rows="3" required><\/textarea>/);

    const named = await duty.get(`/consultations/new?from=${first}`).expect(200);
    expect(['aqi.141181.0', 'aqi.141181.1', 'aqi.141181.2'].map((n) => inputValue(named.text, n))).toEqual([
      '160',
      '170',
      '',
    ]);
    expect(named.text).toMatch(/<textarea name="participants" rows="2">市生态环境局\n专家组<\/textarea>/);

    // A week later nothing of its forecast falls on the new days: only the participants come.
    t.clock.set('2026-12-08T09:00:00+08:00');
    const old = await duty.get('/consultations/new?copy=latest').expect(200);
    expect(old.text).toContain('2026年11月30日 09:00会商的预报日期都已过去,只复制了参会单位');
    expect(inputValue(old.text, 'aqi.141181.0')).toBe('');

    const missing = await duty
      .get('/consultations/new?from=00000000-0000-4000-8000-000000000000')
      .expect(404);
    expect(missing.text).toContain('会商记录不存在');
  });

  it('lays a pasted sheet on the posted form, keeping what else was typed, and lists what it could not read', async () => {
    t.clock.set('2026-11-30T10:00:00+08:00');
    const res = await postForm(duty, '/consultations/paste', {
      heldAt: '2026-11-30T09:30',
      participants: '市生态环境局',
      opinion: '先粘贴预报',
      'date.0': '2026-12-01',
      'aqi.141102.4': '99',
      'aqi.141181.1': '150',
      'pollutant.141181.1': 'O3',
      paste: '区县\t12/1\t12/2\t12/3\n孝义\t310 PM10\t160\t雾霾\n太原\t100',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('已填入1个区县×2天,日期按表头设为2026-12-01起3天');
    expect(res.text).toContain('<li>第2行 第4列:无法识别“雾霾”</li>');
    expect(res.text).toContain('<li>第3行 第1列:无法识别区县“太原”,该行未填入</li>');
    expect(inputValue(res.text, 'aqi.141181.0')).toBe('310');
    expect(selected(res.text, 'pollutant.141181.0')).toBe('PM10');
    // An AQI alone keeps the pollutant the grid had; cells outside the sheet stay as typed.
    expect(inputValue(res.text, 'aqi.141181.1')).toBe('160');
    expect(selected(res.text, 'pollutant.141181.1')).toBe('O3');
    expect(inputValue(res.text, 'aqi.141102.4')).toBe('99');
    expect(inputValue(res.text, 'date.2')).toBe('2026-12-03');
    expect(res.text).toMatch(/<textarea name="opinion" rows="3" required>先粘贴预报<\/textarea>/);
    // The pasted text is not carried on: the box is empty again.
    expect(res.text).toMatch(
      /<textarea name="paste" id="paste-text" rows="5" aria-label="粘贴预报表"><\/textarea>/,
    );
    // Nothing recorded by pasting.
    const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(
      "SELECT count(*)::int AS n FROM consultation WHERE opinion = '先粘贴预报'",
    );
    expect(n).toBe(0);
  });
});
