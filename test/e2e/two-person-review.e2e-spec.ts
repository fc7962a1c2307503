import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { postForm } from '../support/console-forms';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const NOW = '2026-11-28T10:00:00+08:00';

describe('two-person rule: no self-review, no repeated or empty changes', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let commander2: Agent;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set(NOW);
    duty = await t.signIn(['DUTY_OFFICER'], 'duty-sun');
    commander = await t.signIn(['COMMANDER'], 'cmd-qian');
    commander2 = await t.signIn(['COMMANDER'], 'cmd-wu');
  });
  afterAll(() => t.close());

  const draft = (agent: Agent, countyCode: string, level = 'RED', over: Record<string, unknown> = {}) =>
    agent
      .post('/api/alerts')
      .send({ level, countyCodes: [countyCode], effectiveAt: NOW, reason: '区县请求', ...over })
      .expect(201)
      .then((r) => r.body.id as string);
  /** A warning in force (approved by cmd-qian, effective now). */
  const active = async (countyCode: string, level = 'RED') => {
    const id = await draft(duty, countyCode, level);
    await commander.post(`/api/alerts/${id}/approve`).send({}).expect(200);
    return id;
  };
  const adjust = (agent: Agent, id: string, level: string, effectiveAt: string) =>
    agent.post(`/api/alerts/${id}/adjust`).send({ level, effectiveAt, reason: '预报变化' });
  const detail = async (id: string) => (await duty.get(`/api/alerts/${id}`).expect(200)).body;
  const audits = (alertId: string, action: string) =>
    t.dataSource.getRepository(AuditEntry).find({ where: { alertId, action }, order: { id: 'ASC' } });

  describe('the proposer may not decide their own change, either way', () => {
    it('refuses a commander rejecting their own draft (403 ALERT_SELF_REVIEW) and leaves it pending', async () => {
      const both = await t.signIn(['DUTY_OFFICER', 'COMMANDER'], 'both-zhou');
      const id = await draft(both, '141130', 'YELLOW');
      const refused = await both.post(`/api/alerts/${id}/reject`).send({ reason: '不发了' }).expect(403);
      expect(refused.body.error).toEqual({
        code: 'ALERT_SELF_REVIEW',
        message: expect.stringContaining('两人审批'),
      });
      const approveOwn = await both.post(`/api/alerts/${id}/approve`).send({}).expect(403);
      expect(approveOwn.body.error.code).toBe('ALERT_SELF_REVIEW');
      expect(await detail(id)).toMatchObject({
        status: 'PENDING_APPROVAL',
        pendingChange: { kind: 'ISSUE' },
      });
      expect(await audits(id, 'alert.rejected')).toHaveLength(0);

      // The console offers the proposer no decision, and refuses one posted anyway.
      const page = await both.get(`/alerts/${id}`).expect(200);
      expect(page.text).not.toContain('id="reject"');
      expect(page.text).toContain('您是该变更的提议人');
      const posted = await postForm(both, `/alerts/${id}/reject`, { reason: '不发了' });
      expect(posted.status).toBe(403);
      expect(posted.text).toContain('不能退回自己提出的变更');

      // Another commander decides.
      const rejected = await commander
        .post(`/api/alerts/${id}/reject`)
        .send({ reason: '依据不足' })
        .expect(200);
      expect(rejected.body.rejectedChanges).toEqual([
        expect.objectContaining({ kind: 'ISSUE', decidedBy: 'cmd-qian' }),
      ]);
    });

    it('refuses it for a proposed change to a warning in force too', async () => {
      const both = await t.signIn(['DUTY_OFFICER', 'COMMANDER'], 'both-feng');
      const id = await active('141129', 'YELLOW');
      await adjust(both, id, 'ORANGE', '2026-11-29T00:00:00+08:00').expect(200);
      const refused = await both.post(`/api/alerts/${id}/reject`).send({ reason: '撤回' }).expect(403);
      expect(refused.body.error.code).toBe('ALERT_SELF_REVIEW');
      expect((await detail(id)).pendingChange).toMatchObject({ kind: 'UPGRADE', status: 'PENDING' });
      await commander2.post(`/api/alerts/${id}/reject`).send({ reason: '不必升级' }).expect(200);
    });
  });

  describe('a change is made once', () => {
    it('refuses a second identical downgrade after the first was approved, and one to the level already approved', async () => {
      const id = await active('141127');
      await adjust(duty, id, 'ORANGE', '2026-11-29T06:00:00+08:00').expect(200);
      await commander.post(`/api/alerts/${id}/approve`).send({}).expect(200);

      const twice = await adjust(duty, id, 'ORANGE', '2026-11-29T06:00:00+08:00').expect(409);
      expect(twice.body.error.code).toBe('ALERT_CHANGE_DUPLICATE');
      expect(twice.body.error.message).toContain('相同的降级变更已批准');
      const sameLevel = await adjust(duty, id, 'ORANGE', '2026-11-29T08:00:00+08:00').expect(409);
      expect(sameLevel.body.error).toEqual({
        code: 'ALERT_CHANGE_NO_EFFECT',
        message: '该降级变更不会改变预警:预警已批准调整为橙色',
      });
      const body = await detail(id);
      expect(body.revisions.map((r: { kind: string }) => r.kind)).toEqual(['ISSUE', 'DOWNGRADE']);
      expect(body.pendingChange).toBeNull();

      // Back up to red after the approved downgrade is a change: an upgrade from the level approved.
      const up = await adjust(duty, id, 'RED', '2026-11-30T00:00:00+08:00').expect(200);
      expect(up.body.pendingChange).toMatchObject({ kind: 'UPGRADE', level: 'RED' });
      await commander.post(`/api/alerts/${id}/reject`).send({ reason: '暂不' }).expect(200);
    });

    it('refuses a second lift while an approved lift is still to take effect', async () => {
      const id = await active('141128', 'YELLOW');
      const lift = { effectiveAt: '2026-11-29T00:00:00+08:00', reason: '好转' };
      await duty.post(`/api/alerts/${id}/lift`).send(lift).expect(200);
      await commander.post(`/api/alerts/${id}/approve`).send({}).expect(200);
      const again = await duty.post(`/api/alerts/${id}/lift`).send(lift).expect(409);
      expect(again.body.error.code).toBe('ALERT_CHANGE_DUPLICATE');
      const later = await duty
        .post(`/api/alerts/${id}/lift`)
        .send({ ...lift, effectiveAt: '2026-11-29T02:00:00+08:00' })
        .expect(409);
      expect(later.body.error.code).toBe('ALERT_CHANGE_NO_EFFECT');
      expect(later.body.error.message).toContain('已批准于2026年11月29日 00:00解除');
      expect((await detail(id)).revisions.map((r: { kind: string }) => r.kind)).toEqual(['ISSUE', 'LIFT']);
    });

    it('names an identical pending proposal as a duplicate; a different one is refused as before', async () => {
      const id = await active('141126', 'ORANGE');
      await adjust(duty, id, 'YELLOW', '2026-11-29T00:00:00+08:00').expect(200);
      const same = await adjust(duty, id, 'YELLOW', '2026-11-29T00:00:00+08:00').expect(409);
      expect(same.body.error.code).toBe('ALERT_CHANGE_DUPLICATE');
      expect(same.body.error.message).toContain('待审批');
      const other = await adjust(duty, id, 'RED', '2026-11-29T00:00:00+08:00').expect(409);
      expect(other.body.error.code).toBe('CONFLICT');
      await commander.post(`/api/alerts/${id}/reject`).send({ reason: '暂不' }).expect(200);
    });

    it('lets one of two identical proposals sent at once through, one of two approvals, and none of two more', async () => {
      const id = await active('141125');
      const first = await Promise.all([
        adjust(duty, id, 'ORANGE', '2026-11-29T06:00:00+08:00'),
        adjust(duty, id, 'ORANGE', '2026-11-29T06:00:00+08:00'),
      ]);
      expect(first.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(first.find((r) => r.status === 409)!.body.error.code).toBe('ALERT_CHANGE_DUPLICATE');

      const approvals = await Promise.all([
        commander.post(`/api/alerts/${id}/approve`).send({}),
        commander2.post(`/api/alerts/${id}/approve`).send({}),
      ]);
      expect(approvals.map((r) => r.status).sort()).toEqual([200, 409]);

      const second = await Promise.all([
        adjust(duty, id, 'ORANGE', '2026-11-29T06:00:00+08:00'),
        adjust(duty, id, 'ORANGE', '2026-11-29T06:00:00+08:00'),
      ]);
      expect(second.map((r) => r.status)).toEqual([409, 409]);
      const body = await detail(id);
      expect(body.revisions.map((r: { kind: string }) => r.kind)).toEqual(['ISSUE', 'DOWNGRADE']);
      expect(await audits(id, 'alert.approved')).toHaveLength(2);
    });

    it('refuses to approve a change that would change nothing (one proposed twice before proposals were checked)', async () => {
      const id = await active('141124');
      await adjust(duty, id, 'ORANGE', '2026-11-29T06:00:00+08:00').expect(200);
      await commander.post(`/api/alerts/${id}/approve`).send({}).expect(200);
      // Proposals written by the old code, which did not check for repeats: copies of the approved one.
      const legacyCopy = (effectiveAt: string) =>
        t.dataSource.query(
          `INSERT INTO alert_change (alert_id, kind, status, level, county_codes, effective_at, expected_end_at, reason,
                                     proposed_by, proposed_by_id, proposed_at)
           SELECT alert_id, kind, 'PENDING', level, county_codes, $2, expected_end_at, reason, proposed_by,
                  proposed_by_id, proposed_at
             FROM alert_change WHERE alert_id = $1 AND status = 'APPROVED' AND kind = 'DOWNGRADE'`,
          [id, effectiveAt],
        );

      await legacyCopy('2026-11-29T06:00:00+08:00');
      const identical = await commander2.post(`/api/alerts/${id}/approve`).send({}).expect(409);
      expect(identical.body.error.code).toBe('ALERT_CHANGE_DUPLICATE');
      await commander2.post(`/api/alerts/${id}/reject`).send({ reason: '重复' }).expect(200);

      await legacyCopy('2026-11-29T09:00:00+08:00');
      const empty = await commander2.post(`/api/alerts/${id}/approve`).send({}).expect(409);
      expect(empty.body.error.code).toBe('ALERT_CHANGE_NO_EFFECT');

      const body = await detail(id);
      expect(body.revisions.map((r: { kind: string }) => r.kind)).toEqual(['ISSUE', 'DOWNGRADE']);
      expect(body.pendingChange).toMatchObject({ kind: 'DOWNGRADE', status: 'PENDING' });
      await commander2.post(`/api/alerts/${id}/reject`).send({ reason: '重复' }).expect(200);
    });
  });
});
