import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { postForm } from '../support/console-forms';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const forecast = (countyCode: string, dates: string[], ...aqi: number[]) =>
  aqi.map((v, i) => ({ countyCode, date: dates[i], aqi: v, primaryPollutant: 'PM2.5' }));
const fromNov30 = ['2026-11-30', '2026-12-01', '2026-12-02'];

/**
 * The lift's forecast check as the commander sees it (API pending change, warning page, /approvals) and the
 * written reason that approving an unsupported lift needs. MEE-2024 is in force: the lift needs the days of the next
 * 36 hours to give no level (episode by episode).
 */
describe('lift check: shown with counties and hours, overriding it needs a written reason', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let consultationId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER'], 'duty-lc');
    commander = await t.signIn(['COMMANDER'], 'cmd-lc');
    // 离石区 stays clean from 11-30; 孝义市 and 汾阳市 are back above 200 on 12-01 (YELLOW on its own); 柳林县 is clean throughout.
    const c = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-28T09:00:00+08:00',
        participants: ['市气象局'],
        opinion: '11月30日起好转',
        forecasts: [
          ...forecast('141102', fromNov30, 120, 100, 90),
          ...forecast('141181', fromNov30, 130, 210, 100),
          ...forecast('141182', fromNov30, 130, 210, 100),
          ...forecast('141125', fromNov30, 90, 80, 70),
        ],
      })
      .expect(201);
    consultationId = c.body.id;
  });
  afterAll(() => t.close());

  const audits = (alertId: string, action?: string) =>
    t.dataSource
      .getRepository(AuditEntry)
      .find({ where: { alertId, ...(action ? { action } : {}) }, order: { id: 'ASC' } });
  /** A YELLOW warning for the counties, approved (in force from 11-29). */
  const issued = async (countyCodes: string[]): Promise<string> => {
    const res = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes,
        effectiveAt: '2026-11-29T00:00:00+08:00',
        expectedEndAt: '2026-12-03T00:00:00+08:00',
        reason: '区县请求',
      })
      .expect(201);
    await commander.post(`/api/alerts/${res.body.id}/approve`).send({}).expect(200);
    return res.body.id as string;
  };

  describe('through the API', () => {
    let alertId: string;

    it('carries the check in the pending change: per county its name, clean hours and the hours required', async () => {
      alertId = await issued(['141102', '141181']);
      const res = await duty
        .post(`/api/alerts/${alertId}/lift`)
        .send({ effectiveAt: '2026-11-30T12:00:00+08:00', reason: '空气质量好转', consultationId })
        .expect(200);
      const short =
        '孝义市:自解除时间起12小时内预报不达启动条件,要求36小时(12月01日起预报黄色污染过程:12-01(首要污染物PM2.5):日AQI>200:12-01 → 黄色(MEE-2024))';
      const expected = {
        ok: false,
        message: `最新会商预报不支持解除:${short}`,
        consultationId,
        requiredHours: 36,
        cleanCondition: '不达任何级别预警启动条件(MEE-2024,按污染过程研判)',
        counties: [
          {
            code: '141102',
            name: '离石区',
            forecastDays: 3,
            cleanHours: 60, // 11-30 12:00 to the end of 12-02
            requiredHours: 36,
            firstUnclean: null,
            windowLevel: null,
            laterEpisode: null,
            ok: true,
            message: '离石区:自解除时间起60小时内预报不达启动条件,要求36小时',
          },
          {
            code: '141181',
            name: '孝义市',
            forecastDays: 3,
            cleanHours: 12,
            requiredHours: 36,
            firstUnclean: { date: '2026-12-01', aqi: 210 },
            windowLevel: 'YELLOW',
            laterEpisode: null,
            ok: false,
            message: short,
          },
        ],
        override: null,
      };
      expect(res.body.pendingChange.liftCheck).toEqual(expected);
      expect((await duty.get(`/api/alerts/${alertId}`).expect(200)).body.pendingChange.liftCheck).toEqual(
        expected,
      );
      const [warning] = await audits(alertId, 'alert.lift.forecast-warning');
      expect(warning.data).toMatchObject({ ok: false, requiredHours: 36, counties: expected.counties });
    });

    it('refuses to approve it without a written reason (422 naming overrideReason) and writes nothing', async () => {
      const before = await audits(alertId);
      const pendingId = (await duty.get(`/api/alerts/${alertId}`)).body.pendingChange.id;
      for (const body of [{}, { overrideReason: '   ' }, { reason: '同意', overrideReason: '' }]) {
        const res = await commander.post(`/api/alerts/${alertId}/approve`).send(body).expect(422);
        expect(res.body.error).toEqual({
          code: 'VALIDATION_FAILED',
          message: '最新会商预报不支持解除,批准解除须填写书面理由',
          fields: [{ field: 'overrideReason', message: '最新会商预报不支持解除,批准解除须填写书面理由' }],
        });
      }
      const after = (await duty.get(`/api/alerts/${alertId}`)).body;
      expect(after.pendingChange).toMatchObject({ id: pendingId, status: 'PENDING', kind: 'LIFT' });
      expect(after.revisions.map((r: { kind: string }) => r.kind)).toEqual(['ISSUE']);
      expect(await audits(alertId)).toHaveLength(before.length);
    });

    it('approves it with the reason: kept with the check, in alert.approved, its own audit entry and the timeline', async () => {
      const reason = '现场监测已明显好转,孝义市重点企业已停产';
      const res = await commander
        .post(`/api/alerts/${alertId}/approve`)
        .send({ reason: '同意', overrideReason: `  ${reason} ` })
        .expect(200);
      const lift = res.body.revisions.at(-1);
      expect(lift).toMatchObject({ kind: 'LIFT', approvedBy: 'cmd-lc' });
      expect(lift.liftCheck).toMatchObject({
        ok: false,
        counties: [{ name: '离石区' }, { name: '孝义市', cleanHours: 12 }],
        override: { reason, by: 'cmd-lc', at: '2026-11-28T02:00:00.000Z' },
      });
      expect(res.body.revisions[0].liftCheck).toBeNull(); // the issue has no lift check
      const [approved] = await audits(alertId, 'alert.approved').then((a) => a.slice(-1));
      expect(approved.data).toMatchObject({ kind: 'LIFT', comment: '同意', overrideReason: reason });
      const overrides = await audits(alertId, 'alert.lift.override');
      expect(overrides).toHaveLength(1);
      expect(overrides[0]).toMatchObject({ actorName: 'cmd-lc' });
      expect(overrides[0].data).toMatchObject({
        changeId: expect.any(String),
        revisionId: lift.id,
        reason,
        requiredHours: 36,
        counties: [
          { code: '141102', name: '离石区', cleanHours: 60, requiredHours: 36, ok: true },
          { code: '141181', name: '孝义市', cleanHours: 12, requiredHours: 36, ok: false },
        ],
      });
      const timeline = await duty.get(`/api/alerts/${alertId}/timeline`).expect(200);
      expect(timeline.body.items).toContainEqual(
        expect.objectContaining({
          action: 'alert.lift.override',
          actor: 'cmd-lc',
          summary: `预报不支持解除,指挥部书面说明后批准:${reason}`,
        }),
      );
    });

    it('approves a lift the forecast supports without a reason, and records no override', async () => {
      const id = await issued(['141125']);
      const res = await duty
        .post(`/api/alerts/${id}/lift`)
        .send({ effectiveAt: '2026-11-30T00:00:00+08:00', reason: '好转', consultationId })
        .expect(200);
      expect(res.body.pendingChange.liftCheck).toMatchObject({
        ok: true,
        counties: [{ code: '141125', name: '柳林县', cleanHours: 72, requiredHours: 36, ok: true }],
        override: null,
      });
      const approved = await commander.post(`/api/alerts/${id}/approve`).send({}).expect(200);
      expect(approved.body.revisions.at(-1).liftCheck).toMatchObject({ ok: true, override: null });
      expect((await audits(id, 'alert.approved')).at(-1)!.data).toMatchObject({ overrideReason: null });
      expect(await audits(id, 'alert.lift.override')).toHaveLength(0);
    });
  });

  it("uses the hours the warning's ruleset requires", async () => {
    const admin = await t.signIn(['ADMIN'], 'admin-lc');
    // Only warnings drafted from a consultation under it use it (its own dates lie ahead).
    await admin
      .post('/api/rulesets')
      .send({
        id: 'LIFT-60',
        name: '解除需60小时',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2030-01-01',
        liftBelowHours: 60,
      })
      .expect(201);
    const c = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-28T08:30:00+08:00', // not the latest: the console's lift below checks against that
        participants: ['市气象局'],
        opinion: '文水县轻度污染后好转',
        rulesetId: 'LIFT-60',
        forecasts: [
          { countyCode: '141121', date: '2026-11-29', aqi: 210, primaryPollutant: 'PM2.5' },
          ...forecast('141121', fromNov30, 90, 80, 70),
        ],
      })
      .expect(201);
    const draft = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141121'],
        effectiveAt: '2026-11-29T00:00:00+08:00',
        consultationId: c.body.id,
        reason: '污染已较重,尽快启动', // sooner than the 24-hour lead time
      })
      .expect(201);
    expect(draft.body.rulesetId).toBe('LIFT-60');
    await commander.post(`/api/alerts/${draft.body.id}/approve`).send({}).expect(200);
    const res = await duty
      .post(`/api/alerts/${draft.body.id}/lift`)
      .send({ effectiveAt: '2026-11-30T13:00:00+08:00', reason: '好转', consultationId: c.body.id })
      .expect(200);
    // 11-30 13:00 to the end of 12-02 is 59 hours: enough under MEE-2024's 36, not under this ruleset's 60.
    expect(res.body.pendingChange.liftCheck).toMatchObject({
      ok: false,
      requiredHours: 60,
      counties: [{ name: '文水县', cleanHours: 59, requiredHours: 60, ok: false }],
    });
  });

  describe('in the console', () => {
    let alertId: string;

    it('shows the duty officer the check after proposing the lift, with county names and hours', async () => {
      alertId = await issued(['141182']);
      const res = await postForm(duty, `/alerts/${alertId}/lift`, {
        effectiveAt: '2026-11-30T12:00',
        reason: '空气质量好转',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/alerts/${alertId}?msg=lift`);
      const page = await duty.get(res.headers.location).expect(200);
      expect(page.text).toContain('解除申请已提交,等待审批。会商预报不支持解除,指挥部批准时须填写书面理由。');
      const check = section(page.text, 'data-lift-check="short"');
      expect(check).toContain('不支持解除');
      expect(row(check, '141182')).toEqual([
        '汾阳市',
        '3 天',
        '12 小时',
        '36 小时',
        '不足(2026-12-01 日AQI 210)',
      ]);
      expect(page.text).not.toContain('name="overrideReason"'); // the duty officer does not decide
    });

    it('shows the commander the check on /approvals and asks for the reason on the approval card', async () => {
      const approvals = await commander.get('/approvals').expect(200);
      const card = approvals.text.slice(approvals.text.indexOf(`href="/alerts/${alertId}"`));
      expect(row(section(card, 'data-lift-check="short"'), '141182')).toEqual([
        '汾阳市',
        '3 天',
        '12 小时',
        '36 小时',
        '不足(2026-12-01 日AQI 210)',
      ]);
      expect(card.slice(0, card.indexOf('</section>'))).toContain('批准该解除须在预警页填写书面理由');
      const detail = await commander.get(`/alerts/${alertId}`).expect(200);
      expect(row(section(detail.text, 'data-lift-check="short"'), '141182')[2]).toBe('12 小时');
      expect(detail.text).toMatch(/<textarea name="overrideReason"[^>]*required/);
    });

    it('re-renders the approval card with the error when the reason is missing, and approves with it', async () => {
      const refused = await postForm(commander, `/alerts/${alertId}/approve`, { comment: '同意' });
      expect(refused.status).toBe(422);
      expect(refused.text).toContain(
        '<span class="field-error" id="override-reason-error">最新会商预报不支持解除,批准解除须填写书面理由</span>',
      );
      expect((await duty.get(`/api/alerts/${alertId}`)).body.pendingChange).toMatchObject({ kind: 'LIFT' });

      const res = await postForm(commander, `/alerts/${alertId}/approve`, {
        comment: '同意',
        overrideReason: '汾阳市企业已全部停产',
      });
      expect(res.status).toBe(303);
      const page = await commander.get(`/alerts/${alertId}`).expect(200);
      expect(page.text).toContain(
        '会商预报不支持解除,指挥部书面理由:<span class="lift-override">汾阳市企业已全部停产</span>',
      );
      expect(section(page.text, 'id="timeline"')).toContain(
        '预报不支持解除,指挥部书面说明后批准:汾阳市企业已全部停产',
      );
      expect(page.text).not.toContain('name="overrideReason"'); // nothing pending any more
    });

    it('asks for no reason on a change that is not a lift', async () => {
      const res = await duty
        .post('/api/alerts')
        .send({
          level: 'YELLOW',
          countyCodes: ['141126'],
          effectiveAt: '2026-11-29T00:00:00+08:00',
          reason: '试',
        })
        .expect(201);
      const detail = await commander.get(`/alerts/${res.body.id}`).expect(200);
      expect(detail.text).toContain('id="approve"');
      expect(detail.text).not.toContain('name="overrideReason"');
      expect(detail.text).not.toContain('data-lift-check');
    });
  });
});

/** The HTML from the element carrying the marker to the end of its block (the next closing div/section). */
function section(html: string, marker: string): string {
  const start = html.indexOf(marker);
  if (start < 0) throw new Error(`no ${marker} on the page`);
  const rest = html.slice(start);
  const end = rest.search(/<\/(div|section|ol)>/);
  return rest.slice(0, end < 0 ? undefined : end);
}

/** The text of each cell of the lift check's row for a county. */
function row(html: string, county: string): string[] {
  const m = new RegExp(`<tr data-county="${county}"[^>]*>(.*?)</tr>`, 's').exec(html);
  if (!m) throw new Error(`no row for ${county}`);
  return [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) => c[1].replace(/<[^>]+>/g, '').trim());
}
