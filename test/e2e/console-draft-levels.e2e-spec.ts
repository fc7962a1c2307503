import { Alert } from '../../src/alerts/alert.entity';
import { postForm } from '../support/console-forms';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * 按建议起草预警 with three recommended levels at once (the issue's episode): the consultation page offers one
 * draft per level, each prefilled with that level's counties, and the draft form names every recommended county
 * the draft leaves out, with its level.
 */
describe('console: drafting every recommended level from a consultation', () => {
  let t: TestApp;
  let duty: Agent;
  let consultationId: string;

  // MEE-2024: RED = AQI>200 three days running with one >300; ORANGE = >200 two days running; YELLOW = one day >200.
  const RED = ['250', '320', '260'];
  const ORANGE = ['230', '240', '150'];
  const YELLOW = ['210', '120', '110'];
  const forecast: Record<string, string[]> = {
    '141102': RED, // 离石区
    '141126': RED, // 石楼县
    '141181': RED, // 孝义市
    '141125': ORANGE, // 柳林县
    '141124': YELLOW, // 临县
    '141182': YELLOW, // 汾阳市
    '141123': ['120', '110', '100'], // 兴县: no level
  };
  const RED_NOTICE = '以下建议区县未包含在本草稿中：柳林县(橙色)、临县(黄色)、汾阳市(黄色)';

  const draftFields = (level: string, countyCodes: string[]) => ({
    consultationId,
    level,
    countyCodes,
    effectiveAt: '2026-11-29T00:00',
    reason: '污染已较重,尽快启动', // sooner than the 24-hour lead time
  });
  const checked = (html: string) =>
    [...html.matchAll(/name="countyCodes" value="(\d+)" checked/g)].map((m) => m[1]).sort();
  /** An attribute as the browser reads it (Handlebars escapes & and = in attributes). */
  const unescape = (value: string) => value.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
  const hrefOf = (html: string, id: string) =>
    unescape(new RegExp(`id="${id}" href="([^"]+)"`).exec(html)?.[1] ?? '');
  const notice = (html: string) => /id="uncovered-notice">([^<]*)</.exec(html)?.[1] ?? null;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER']);
    const fields: Record<string, string> = {
      heldAt: '2026-11-28T09:00',
      participants: '市生态环境局\n市气象局',
      opinion: '静稳天气,全市将出现重污染过程',
      'date.0': '2026-11-29',
      'date.1': '2026-11-30',
      'date.2': '2026-12-01',
    };
    for (const [code, days] of Object.entries(forecast))
      days.forEach((aqi, i) => (fields[`aqi.${code}.${i}`] = aqi));
    const res = await postForm(duty, '/consultations', fields);
    if (res.status !== 303) throw new Error(`consultation not recorded: ${res.status}`);
    consultationId = res.headers.location.split('/').pop()!;
  });
  afterAll(() => t.close());

  it('offers the levels of the ruleset in force: no 蓝色 under MEE-2024', async () => {
    const page = await duty.get('/alerts/new').expect(200);
    const levels = [...page.text.matchAll(/<option value="(BLUE|YELLOW|ORANGE|RED)"/g)].map((m) => m[1]);
    expect(levels).toEqual(['YELLOW', 'ORANGE', 'RED']);
  });

  it('offers one draft per recommended level on the consultation page, highest first', async () => {
    const page = await duty.get(`/consultations/${consultationId}`).expect(200);
    const offered = [
      ...page.text.matchAll(
        /<a class="button" id="draft-(\w+)" data-level="\w+" href="([^"]+)">([^<]+)<\/a>/g,
      ),
    ];
    expect(offered.map((m) => [m[1], unescape(m[2]), m[3]])).toEqual([
      ['RED', `/alerts/new?consultationId=${consultationId}&level=RED`, '起草红色预警(3个区县)'],
      ['ORANGE', `/alerts/new?consultationId=${consultationId}&level=ORANGE`, '起草橙色预警(1个区县)'],
      ['YELLOW', `/alerts/new?consultationId=${consultationId}&level=YELLOW`, '起草黄色预警(2个区县)'],
    ]);
    expect(page.text).toContain('离石区、石楼县、孝义市');
    expect(page.text).toContain('临县、汾阳市');
  });

  it('prefills the ORANGE draft with the ORANGE county and names the RED and YELLOW ones it leaves out', async () => {
    const form = await duty.get(`/alerts/new?consultationId=${consultationId}&level=ORANGE`).expect(200);
    expect(form.text).toMatch(/<option value="ORANGE" selected>/);
    expect(checked(form.text)).toEqual(['141125']);
    expect(notice(form.text)).toBe(
      '以下建议区县未包含在本草稿中：离石区(红色)、石楼县(红色)、孝义市(红色)、临县(黄色)、汾阳市(黄色)',
    );
    expect(hrefOf(form.text, 'other-draft-RED')).toBe(
      `/alerts/new?consultationId=${consultationId}&level=RED`,
    );
    expect(hrefOf(form.text, 'other-draft-YELLOW')).toBe(
      `/alerts/new?consultationId=${consultationId}&level=YELLOW`,
    );
    expect(form.text).not.toContain('id="other-draft-ORANGE"');
  });

  it('prefills the highest level without ?level= and says which lower-level counties it leaves out', async () => {
    const form = await duty.get(`/alerts/new?consultationId=${consultationId}`).expect(200);
    expect(form.text).toMatch(/<option value="RED" selected>/);
    expect(checked(form.text)).toEqual(['141102', '141126', '141181']);
    expect(notice(form.text)).toBe(RED_NOTICE);
  });

  it('recomputes what is left out on the dry run and on a refused submission', async () => {
    const preview = await postForm(
      duty,
      '/alerts/preview',
      draftFields('RED', ['141102', '141126', '141181', '141125']),
    );
    expect(preview.status).toBe(200);
    expect(notice(preview.text)).toBe('以下建议区县未包含在本草稿中：临县(黄色)、汾阳市(黄色)');
    const whole = await postForm(duty, '/alerts/preview', { ...draftFields('RED', []), wholeCity: '1' });
    expect(whole.status).toBe(200);
    expect(whole.text).not.toContain('id="uncovered-counties"');
    const refused = await postForm(duty, '/alerts', {
      ...draftFields('RED', ['141102', '141126', '141181']),
      effectiveAt: '',
    });
    expect(refused.status).toBe(422);
    expect(notice(refused.text)).toBe(RED_NOTICE);
  });

  it('drafts all three levels from their links, so no recommended county is left without a draft', async () => {
    for (const level of ['RED', 'ORANGE', 'YELLOW']) {
      const form = await duty.get(`/alerts/new?consultationId=${consultationId}&level=${level}`).expect(200);
      const res = await postForm(duty, '/alerts', draftFields(level, checked(form.text)));
      expect(res.status).toBe(303);
    }
    const drafts = await t.dataSource.getRepository(Alert).find();
    const byLevel = Object.fromEntries(drafts.map((a) => [a.level, [...a.countyCodes].sort()]));
    expect(byLevel).toEqual({
      RED: ['141102', '141126', '141181'],
      ORANGE: ['141125'],
      YELLOW: ['141124', '141182'],
    });
  });
});
