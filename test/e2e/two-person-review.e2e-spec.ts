import request from 'supertest';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { postForm } from '../support/console-forms';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const NOW = '2026-11-28T10:00:00+08:00';
const CONCERN_RECENT = '批准人账号由提议人于24小时内创建/重置密码';

describe('two-person rule: no self-review, no repeated or empty changes, flagged administrator approvals', () => {
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
      // No consultation to check the lift against: approved with a written reason.
      await commander.post(`/api/alerts/${id}/approve`).send({ overrideReason: '现场核实' }).expect(200);
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
      expect(other.body.error.code).toBe('ALERT_CHANGE_PENDING');
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
      expect(approvals.find((r) => r.status === 409)!.body.error.code).toBe('ALERT_NO_PENDING_CHANGE');

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

  describe('an administrator meeting the two-person rule alone is flagged', () => {
    let adminDuty: Agent;
    let adminId: string;
    let created: Agent;
    const users = async () =>
      (await adminDuty.get('/api/users').expect(200)).body as Array<{ id: string; username: string }>;
    const idOf = async (username: string) => (await users()).find((u) => u.username === username)!.id;
    const newAccount = async (admin: Agent, username: string, roles: string[]) => {
      await admin
        .post('/api/users')
        .send({ username, password: `${username}-password`, roles })
        .expect(201);
      const agent = request.agent(t.app.getHttpServer());
      await agent
        .post('/api/auth/login')
        .send({ username, password: `${username}-password` })
        .expect(200);
      return agent;
    };

    beforeAll(async () => {
      adminDuty = await t.signIn(['ADMIN', 'DUTY_OFFICER'], 'admin-he');
      adminId = await idOf('admin-he');
      created = await newAccount(adminDuty, 'cmd-new', ['COMMANDER']);
    });

    it('flags an approval by an account the proposer created within 24 hours: API, audit log, console', async () => {
      const id = await draft(adminDuty, '141123', 'YELLOW');

      // Before approving, the commander is told.
      const approvals = await created.get('/approvals').expect(200);
      expect(approvals.text).toContain(`两人审批存疑:${CONCERN_RECENT}`);
      const page = await created.get(`/alerts/${id}`).expect(200);
      expect(page.text).toContain(`两人审批存疑:${CONCERN_RECENT}`);
      // Another commander, whose account the proposer did not touch, is not.
      expect((await commander2.get(`/alerts/${id}`).expect(200)).text).not.toContain('两人审批存疑');

      const approved = await created.post(`/api/alerts/${id}/approve`).send({}).expect(200);
      const concern = {
        reason: 'CREATED_BY_PROPOSER',
        adminId,
        recent: true,
        setAt: expect.any(String),
        message: CONCERN_RECENT,
      };
      expect(approved.body.revisions[0]).toMatchObject({ approvedBy: 'cmd-new', twoPersonConcern: concern });
      expect((await audits(id, 'alert.approved'))[0].data).toMatchObject({ twoPersonConcern: concern });
      expect((await audits(id, 'alert.approval.two-person-concern'))[0]).toMatchObject({
        actorName: 'cmd-new',
        data: { ...concern, proposedBy: 'admin-he', approvedBy: 'cmd-new' },
      });

      const auditor = await t.signIn(['AUDITOR']);
      const listed = await auditor.get('/api/audit?action=alert.approval.two-person-concern').expect(200);
      expect(listed.body.items.map((e: { alertId: string }) => e.alertId)).toEqual([id]);
      expect((await auditor.get('/audit').expect(200)).text).toContain(
        'href="/audit?action=alert.approval.two-person-concern"',
      );
      const auditPage = await auditor.get('/audit?action=alert.approval.two-person-concern').expect(200);
      expect(auditPage.text).toContain(CONCERN_RECENT);
      const detailPage = await duty.get(`/alerts/${id}`).expect(200);
      expect(detailPage.text).toContain(`⚠ 两人审批存疑:${CONCERN_RECENT}`);
      expect(detailPage.text).toContain(`两人审批存疑:${CONCERN_RECENT}`); // the timeline
    });

    it('flags an approval by an account whose password the proposer reset', async () => {
      const cmdQianId = await idOf('cmd-qian');
      await adminDuty
        .post(`/api/users/${cmdQianId}/password`)
        .send({ password: 'reset-by-admin-1' })
        .expect(204);
      const qian = request.agent(t.app.getHttpServer());
      await qian
        .post('/api/auth/login')
        .send({ username: 'cmd-qian', password: 'reset-by-admin-1' })
        .expect(200);
      const id = await draft(adminDuty, '141122', 'YELLOW');
      const approved = await qian.post(`/api/alerts/${id}/approve`).send({}).expect(200);
      expect(approved.body.revisions[0].twoPersonConcern).toMatchObject({
        reason: 'PASSWORD_RESET_BY_PROPOSER',
        adminId,
        recent: true,
        message: CONCERN_RECENT,
      });
      commander = qian; // its old session ended with the reset
    });

    it('does not flag an approval by a commander the proposer never touched', async () => {
      const id = await draft(adminDuty, '141121', 'YELLOW');
      const approved = await commander2.post(`/api/alerts/${id}/approve`).send({}).expect(200);
      expect(approved.body.revisions[0].twoPersonConcern).toBeNull();
      expect(await audits(id, 'alert.approval.two-person-concern')).toHaveLength(0);
      expect((await audits(id, 'alert.approved'))[0].data).toMatchObject({ twoPersonConcern: null });
    });

    it('flags two fresh accounts made by one other administrator, one proposing and one approving', async () => {
      const otherAdmin = await t.signIn(['ADMIN'], 'admin-lin');
      const puppetDuty = await newAccount(otherAdmin, 'duty-puppet', ['DUTY_OFFICER']);
      const puppetCmd = await newAccount(otherAdmin, 'cmd-puppet', ['COMMANDER']);
      const id = await draft(puppetDuty, '141102', 'YELLOW');
      const approved = await puppetCmd.post(`/api/alerts/${id}/approve`).send({}).expect(200);
      expect(approved.body.revisions[0].twoPersonConcern).toMatchObject({
        reason: 'SAME_ADMIN_SET_BOTH',
        adminId: await idOf('admin-lin'),
        message: '提议人与批准人账号均由同一管理员于24小时内创建/重置密码',
      });
    });

    it('still flags the proposer-set password after 24 hours, worded as such', async () => {
      t.clock.advance(25 * 3600_000);
      const id = await draft(adminDuty, '141182', 'YELLOW', { effectiveAt: t.clock.now().toISOString() });
      const approved = await created.post(`/api/alerts/${id}/approve`).send({}).expect(200);
      expect(approved.body.revisions[0].twoPersonConcern).toMatchObject({
        reason: 'CREATED_BY_PROPOSER',
        recent: false,
        message: '批准人账号的现用密码由提议人设置',
      });
    });
  });
});
