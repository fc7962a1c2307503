import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { scenario } from '../support/scenario';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The approval hours of MEE-2024 (draft to approval 2 h, approval to release 2 h) as the fake clock moves:
 *   10:00 draft (孝义市, one enterprise) · 12:01 approved (2 h 1 min: late) · 14:02 the order notice is sent
 *   (2 h 1 min after approval: late) · 14:02 extension proposed · 14:30 approved · 15:00 its notice sent (on time).
 * Apart, a warning under a version allowing 3 hours to approve is not flagged after 2.5 hours.
 */
describe('approval hours: overdue proposals and releases on the dashboard, timing in the assessment', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let admin: Agent;
  let alertId: string;

  const drain = () => t.app.get(OutboxDispatcher).drain();
  const overdue = async () => (await duty.get('/api/dashboard/overdue').expect(200)).body;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    [duty, commander, admin] = await Promise.all([
      t.signIn(['DUTY_OFFICER'], 'duty-hours'),
      t.signIn(['COMMANDER']),
      t.signIn(['ADMIN']),
    ]);
    const s = await scenario(t, { sink, agents: { duty, commander, admin } })
      .enterprises([{ key: 'jia' }])
      .warning({
        level: 'ORANGE',
        effectiveAt: '2026-11-28T20:00:00+08:00',
        expectedEndAt: '2026-11-30T20:00:00+08:00',
        reason: '污染已较重,尽快启动',
      });
    alertId = s.alertId;
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('does not flag a proposal up to the approval hours', async () => {
    t.clock.set('2026-11-28T12:00:00+08:00');
    expect((await overdue()).approvals).toEqual([]);
  });

  it('flags a proposal pending longer than draftToApprovalHours, on the API and the dashboard', async () => {
    t.clock.set('2026-11-28T12:01:00+08:00');
    const body = await overdue();
    expect(body.approvals).toEqual([
      expect.objectContaining({
        alertId,
        kind: 'ISSUE',
        kindName: '发布',
        proposedBy: 'duty-hours',
        limitHours: 2,
        waitedHours: 2.02,
        text: '待审批已超过2小时(已等待2.02小时)',
      }),
    ]);
    const page = await duty.get('/dashboard').expect(200);
    expect(page.text).toMatch(
      new RegExp(
        `class="warn overdue-approval" data-alert="${alertId}">.*待审批已超过2小时\\(已等待2\\.02小时\\)`,
      ),
    );
  });

  it('flags an approved revision whose notices are not all sent after approvalToReleaseHours', async () => {
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    const approved = await overdue();
    expect(approved.approvals).toEqual([]);
    expect(approved.releases).toEqual([]); // just approved: within the release hours
    t.clock.advance(2 * HOUR + MINUTE); // 14:02
    const late = await overdue();
    expect(late.releases).toEqual([
      expect.objectContaining({
        alertId,
        seq: 1,
        kind: 'ISSUE',
        unsent: 1,
        limitHours: 2,
        waitedHours: 2.02,
        text: '批准后已超过2小时仍有1份通知未发出(批准后2.02小时)',
      }),
    ]);
    const page = await duty.get('/dashboard').expect(200);
    expect(page.text).toContain('批准后已超过2小时仍有1份通知未发出(批准后2.02小时)');
    const before = sink.received;
    expect((await drain()).sent).toBe(1);
    await sink.waitFor(before + 1);
    expect((await overdue()).releases).toEqual([]);
    expect((await duty.get('/dashboard').expect(200)).text).not.toContain('id="overdue"');
  });

  it('reports each revision against the limits in the assessment JSON, page and CSV', async () => {
    await duty
      .post(`/api/alerts/${alertId}/extend`)
      .send({ expectedEndAt: '2026-12-01T20:00:00+08:00', reason: '污染持续' })
      .expect(200);
    t.clock.set('2026-11-28T14:30:00+08:00');
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    t.clock.set('2026-11-28T15:00:00+08:00');
    expect((await drain()).sent).toBe(1);

    const { body } = await duty.get(`/api/alerts/${alertId}/assessment`).expect(200);
    expect(body.timing.limits).toEqual({ draftToApprovalHours: 2, approvalToReleaseHours: 2 });
    expect(body.timing.revisions).toEqual([
      expect.objectContaining({
        seq: 1,
        kind: 'ISSUE',
        proposedAt: '2026-11-28T02:00:00.000Z',
        decidedAt: '2026-11-28T04:01:00.000Z',
        releasedAt: '2026-11-28T06:02:00.000Z',
        notices: 1,
        unsent: 0,
        approval: { hours: 2.02, limitHours: 2, ok: false },
        release: { hours: 2.02, limitHours: 2, ok: false },
      }),
      expect.objectContaining({
        seq: 2,
        kind: 'EXTEND',
        proposedAt: '2026-11-28T06:02:00.000Z',
        decidedAt: '2026-11-28T06:30:00.000Z',
        releasedAt: '2026-11-28T07:00:00.000Z',
        notices: 1,
        unsent: 0,
        approval: { hours: 0.47, limitHours: 2, ok: true },
        release: { hours: 0.5, limitHours: 2, ok: true },
      }),
    ]);

    const page = await duty.get(`/alerts/${alertId}/assessment`).expect(200);
    const rows = [...page.text.matchAll(/<tr data-seq="(\d)">([\s\S]*?)<\/tr>/g)].map((m) =>
      m[2]
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('2.02 小时 / 时限 2 小时 超时');
    expect(rows[1]).toContain('0.47 小时 / 时限 2 小时 ✓');
    expect(rows[1]).toContain('0.5 小时 / 时限 2 小时 ✓');

    const csv = await duty.get(`/api/alerts/${alertId}/assessment.csv`).expect(200);
    expect(csv.text).toContain('【审批与发布时限】');
    expect(csv.text).toContain(
      '1,发布,2026-11-28T10:00:00+08:00,2026-11-28T12:01:00+08:00,2.02,2,超时,2026-11-28T14:02:00+08:00,2.02,2,超时,1,0',
    );
    expect(csv.text).toContain(
      '2,延长,2026-11-28T14:02:00+08:00,2026-11-28T14:30:00+08:00,0.47,2,按时,2026-11-28T15:00:00+08:00,0.5,2,按时,1,0',
    );
  });

  it("takes the limit from the warning's ruleset", async () => {
    await admin
      .post('/api/rulesets')
      .send({
        id: 'SLOW-APPROVAL',
        name: '审批时限3小时',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2030-01-01',
        approval: { draftToApprovalHours: 3 },
      })
      .expect(201);
    const c = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-28T15:00:00+08:00',
        participants: ['市气象局'],
        opinion: '离石区将出现污染',
        rulesetId: 'SLOW-APPROVAL',
        forecasts: [
          { countyCode: '141102', date: '2026-11-29', aqi: 210, primaryPollutant: 'PM2.5' },
          { countyCode: '141102', date: '2026-11-30', aqi: 120, primaryPollutant: 'PM2.5' },
        ],
      })
      .expect(201);
    const draft = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141102'],
        effectiveAt: '2026-11-29T20:00:00+08:00',
        consultationId: c.body.id,
      })
      .expect(201);
    t.clock.advance(2.5 * HOUR);
    expect((await overdue()).approvals).toEqual([]);
    t.clock.advance(31 * MINUTE);
    expect((await overdue()).approvals).toEqual([
      expect.objectContaining({
        alertId: draft.body.id,
        limitHours: 3,
        text: '待审批已超过3小时(已等待3.02小时)',
      }),
    ]);
  });
});
