import { AlertChange } from '../../src/alerts/alert.entity';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * A county holds one warning at a time (issue 13): a change that widens a warning in time is checked against
 * the other warnings like a draft, at proposal and again at approval.
 */
describe('widening a warning over another', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER'], 'duty-overlap');
    commander = await t.signIn(['COMMANDER'], 'cmd-overlap');
  });
  afterAll(() => t.close());

  const detail = async (id: string) => (await duty.get(`/api/alerts/${id}`).expect(200)).body;
  const draft = (countyCode: string, effectiveAt: string, expectedEndAt: string) =>
    duty
      .post('/api/alerts')
      .send({ level: 'YELLOW', countyCodes: [countyCode], effectiveAt, expectedEndAt, reason: '区县请求' });
  const issued = async (countyCode: string, effectiveAt: string, expectedEndAt: string) => {
    const res = await draft(countyCode, effectiveAt, expectedEndAt).expect(201);
    await commander.post(`/api/alerts/${res.body.id}/approve`).send({}).expect(200);
    return res.body as { id: string; code: string };
  };
  const extend = (id: string, expectedEndAt: string) =>
    duty.post(`/api/alerts/${id}/extend`).send({ expectedEndAt, reason: '过程延长' });

  it('refuses extending A (离石区, 11-29→12-01) to 12-05 over B (离石区, 12-02→12-04), naming B', async () => {
    const a = await issued('141102', '2026-11-29T00:00:00+08:00', '2026-12-01T00:00:00+08:00');
    const b = await issued('141102', '2026-12-02T00:00:00+08:00', '2026-12-04T00:00:00+08:00');
    const res = await extend(a.id, '2026-12-05T00:00:00+08:00').expect(409);
    expect(res.body.error).toEqual({
      code: 'ALERT_COUNTY_OVERLAP',
      message: `延长后预警 ${a.code} 将与其他预警重叠:${b.code}(已发布(未生效),2026年12月02日 00:00至2026年12月04日 00:00,离石区)。同一区县同一时间只能有一个预警。`,
      fields: [{ field: 'expectedEndAt', message: expect.stringContaining(b.code) }],
    });
    expect(res.body.overlaps).toEqual([
      {
        code: b.code,
        status: 'ISSUED',
        countyCodes: ['141102'],
        effectiveAt: '2026-12-01T16:00:00.000Z',
        expectedEndAt: '2026-12-03T16:00:00.000Z',
      },
    ]);
    // Nothing proposed: no change row, no proposal in the audit log.
    expect(await t.dataSource.getRepository(AlertChange).countBy({ alertId: a.id, kind: 'EXTEND' })).toBe(0);
    expect(
      await t.dataSource
        .getRepository(AuditEntry)
        .countBy({ alertId: a.id, action: 'alert.change.proposed' }),
    ).toBe(0);
    expect(await detail(a.id)).toMatchObject({
      pendingChange: null,
      expectedEndAt: '2026-11-30T16:00:00.000Z',
    });

    // Up to B's start is not an overlap ([start, end)): that extension goes through.
    await extend(a.id, '2026-12-02T00:00:00+08:00').expect(200);
    await commander.post(`/api/alerts/${a.id}/approve`).send({}).expect(200);
    expect(await detail(a.id)).toMatchObject({
      pendingChange: null,
      expectedEndAt: '2026-12-01T16:00:00.000Z',
    });
  });

  it('refuses approving an extension proposed before the other warning existed, which may then be rejected', async () => {
    const c = await issued('141181', '2026-11-29T00:00:00+08:00', '2026-12-01T00:00:00+08:00');
    await extend(c.id, '2026-12-05T00:00:00+08:00').expect(200);
    // D does not overlap C as C stands (the extension is only proposed), so the draft is allowed.
    const d = (await draft('141181', '2026-12-02T00:00:00+08:00', '2026-12-04T00:00:00+08:00').expect(201))
      .body as { id: string; code: string };
    const res = await commander.post(`/api/alerts/${c.id}/approve`).send({}).expect(409);
    expect(res.body.error).toMatchObject({
      code: 'ALERT_COUNTY_OVERLAP',
      message: `延长后预警 ${c.code} 将与其他预警重叠:${d.code}(待审批,2026年12月02日 00:00至2026年12月04日 00:00,孝义市)。同一区县同一时间只能有一个预警,请驳回此变更。`,
    });
    expect(res.body.overlaps).toEqual([
      expect.objectContaining({ code: d.code, status: 'PENDING_APPROVAL' }),
    ]);
    const after = await detail(c.id);
    expect(after).toMatchObject({ expectedEndAt: '2026-11-30T16:00:00.000Z' });
    expect(after.pendingChange).toMatchObject({ kind: 'EXTEND', status: 'PENDING' });
    expect(after.revisions.map((r: { kind: string }) => r.kind)).toEqual(['ISSUE']);
    expect(
      await t.dataSource.getRepository(AuditEntry).countBy({ alertId: c.id, action: 'alert.approved' }),
    ).toBe(1);
    await commander.post(`/api/alerts/${c.id}/reject`).send({ reason: '与新预警重叠' }).expect(200);
  });

  it('still extends a warning no other one is in the way of, and refuses a draft over it with the same code', async () => {
    const e = await issued('141130', '2026-11-29T00:00:00+08:00', '2026-12-01T00:00:00+08:00');
    await extend(e.id, '2026-12-05T00:00:00+08:00').expect(200);
    await commander.post(`/api/alerts/${e.id}/approve`).send({}).expect(200);
    expect(await detail(e.id)).toMatchObject({ expectedEndAt: '2026-12-04T16:00:00.000Z' });
    const refused = await draft('141130', '2026-12-04T00:00:00+08:00', '2026-12-06T00:00:00+08:00').expect(
      409,
    );
    expect(refused.body.error).toMatchObject({
      code: 'ALERT_COUNTY_OVERLAP',
      message: expect.stringContaining(
        `${e.code}(已发布(未生效),2026年11月29日 00:00至2026年12月05日 00:00,交口县)`,
      ),
      fields: [{ field: 'countyCodes', message: expect.stringContaining(e.code) }],
    });
  });
});
