import type { ParsedMail } from 'mailparser';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import { measure } from '../factories/enterprise.factory';
import { type Agent, scenario } from '../support/scenario';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

const CODES = ['ZHUJIAN', 'JIAOTONG', 'JIAOJING', 'CHENGGUAN', 'GONGXIN', 'SHANGWU', 'QIXIANG', 'SHENGTAI'];
const mailOf = (code: string) => `${code.toLowerCase()}@dept.test.example`;
const JIAOCHENG = 'jiaocheng@sthj.lvliang.example';

describe('county and department notices follow the warning: upgrade, downgrade, extension, expiry', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let alertId: string;
  let duty: Agent;
  let commander: Agent;
  const to = (address: string) => (m: ParsedMail) => JSON.stringify(m.to).includes(address);
  /** What the dispatcher sends next, to the parties only (the enterprise's own notices aside). */
  const sendParties = async (): Promise<ParsedMail[]> => {
    const before = sink.received;
    const r = await t.app.get(OutboxDispatcher).drain();
    await sink.waitFor(before + r.sent);
    return sink.messages.slice(before).filter((m) => !to('jc@test.example')(m));
  };
  const parties = (kind: string) =>
    t.dataSource.query<Array<{ code: string; duties: string[] }>>(
      `SELECT party_code AS code, duties FROM party_notice WHERE alert_id = $1 AND notice_kind = $2 ORDER BY party_kind, party_code`,
      [alertId, kind],
    );

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, PARTY_NOTICES: 'true', SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const admin = await t.signIn(['ADMIN']);
    await admin
      .put('/api/departments')
      .send({
        departments: CODES.map((code, i) => ({
          code,
          name: `部门${code}`,
          email: mailOf(code),
          sort: i + 1,
        })),
      })
      .expect(200);
    const s = await scenario(t, { sink, agents: { admin } })
      .enterprises([
        {
          key: 'jc',
          input: { name: '交城甲焦化有限公司', countyCode: '141122', grade: 'B' },
          measures: [
            measure({ level: 'YELLOW' }),
            measure({ level: 'ORANGE', action: 'STOP', params: {}, description: '全厂停产' }),
          ],
        },
      ])
      .warning({
        level: 'YELLOW',
        countyCodes: ['141122'],
        effectiveAt: '2026-11-28T20:00:00+08:00',
        expectedEndAt: '2026-11-30T20:00:00+08:00',
      })
      .approved()
      .delivered();
    alertId = s.alertId;
    duty = s.agents.duty;
    commander = s.agents.commander;
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('an upgrade tells the county its enterprises’ new measures and brings in the departments with duties at the new level', async () => {
    // Issued at YELLOW: the county and the six departments with YELLOW duties (工信, 商务 have none).
    expect((await parties('ISSUE')).map((p) => p.code)).toEqual([
      '141122',
      'CHENGGUAN',
      'JIAOJING',
      'JIAOTONG',
      'QIXIANG',
      'SHENGTAI',
      'ZHUJIAN',
    ]);
    t.clock.set('2026-11-28T22:00:00+08:00');
    await duty
      .post(`/api/alerts/${alertId}/adjust`)
      .send({ level: 'ORANGE', effectiveAt: '2026-11-29T08:00:00+08:00', reason: '预报加重' })
      .expect(200);
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    const sent = await sendParties();
    expect(sent.map((m) => (m.to as { text: string }).text).sort()).toEqual(
      [JIAOCHENG, ...CODES.map(mailOf)].sort(),
    );
    const county = sent.find(to(JIAOCHENG))!;
    expect(county.subject).toBe(
      '【橙色预警升级】关于将重污染天气预警升级为橙色预警(Ⅱ级应急响应)的通知(吕重污应急〔2026〕2号)',
    );
    for (const body of [county.text!, String(county.html)]) {
      expect(body).toMatch(/由黄色(<strong>)?升级为橙色预警/);
      expect(body).toContain('2026年11月29日 08:00');
      expect(body).toContain('Ⅱ级应急响应');
    }
    expect(county.text).toContain('- B级 1 家:停产 1 家');
    expect(String(county.html)).toContain('background:#f08c00');
    const gongxin = sent.find(to(mailOf('GONGXIN')))!.text!;
    expect(gongxin).toContain('错峰生产');
    expect(gongxin).toContain('橙色预警下的职责');
  });

  it('a downgrade tells a department whose duties end that they end, and the others their duties at the lower level', async () => {
    t.clock.set('2026-11-29T10:00:00+08:00');
    await t.app.get(AlertTransitionsJob).run(); // the upgrade takes effect at 08:00
    await duty
      .post(`/api/alerts/${alertId}/adjust`)
      .send({ level: 'YELLOW', effectiveAt: '2026-11-29T12:00:00+08:00', reason: '好转' })
      .expect(200);
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    const notices = await parties('DOWNGRADE');
    expect(notices.map((p) => p.code)).toHaveLength(9);
    expect(notices.find((p) => p.code === 'GONGXIN')!.duties).toEqual([]);
    const sent = await sendParties();
    expect(sent).toHaveLength(9);
    const gongxin = sent.find(to(mailOf('GONGXIN')))!;
    expect(gongxin.subject).toContain('关于将重污染天气预警降级为黄色预警(Ⅲ级应急响应)的通知');
    expect(gongxin.text).toContain('黄色预警下贵单位无专项应急管控职责,此前级别的管控措施可相应结束');
    expect(sent.find(to(mailOf('ZHUJIAN')))!.text).toContain('土石方');
  });

  it('an extension tells everyone told before the new expected end, the county its enterprises in force and a list', async () => {
    t.clock.set('2026-11-30T10:00:00+08:00');
    await t.app.get(AlertTransitionsJob).run(); // the downgrade took effect at 12:00 the day before
    await duty
      .post(`/api/alerts/${alertId}/extend`)
      .send({ expectedEndAt: '2026-12-01T20:00:00+08:00', reason: '过程延长' })
      .expect(200);
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    expect((await parties('EXTEND')).map((p) => p.code)).toHaveLength(9);
    const sent = await sendParties();
    expect(sent).toHaveLength(9);
    const county = sent.find(to(JIAOCHENG))!;
    expect(county.subject).toBe(
      '【黄色预警延长】关于延长重污染天气黄色预警(Ⅲ级应急响应)的通知(吕重污应急〔2026〕4号)',
    );
    expect(county.text).toContain('延长至 2026年12月01日 20:00');
    expect(county.text).toContain('- B级 1 家:限产 1 家');
    const list = /\/party\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\/orders\.xlsx/.exec(county.text!)![0];
    await t.http().get(list).expect(200);
  });

  it('the expiry at the expected end tells everyone told before, neutrally, each with its own receipt link', async () => {
    t.clock.set('2026-12-01T20:00:30+08:00');
    await t.app.get(AlertTransitionsJob).run();
    expect((await parties('EXPIRE')).map((p) => p.code)).toHaveLength(9);
    const sent = await sendParties();
    expect(sent).toHaveLength(9);
    const county = sent.find(to(JIAOCHENG))!;
    expect(county.subject).toBe('【到期解除】关于重污染天气黄色预警到期解除的通知(吕重污应急〔2026〕5号)');
    for (const body of [county.text!, String(county.html)]) {
      expect(body).toMatch(/已于 (<strong>)?2026年12月01日 20:00(<\/strong>)? (<strong>)?到期结束/);
      expect(body).not.toContain('orders.xlsx');
    }
    expect(String(county.html)).not.toMatch(/#f5c400|#f08c00/);
    const link = /\/party\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(county.text!)![0];
    const page = await t.http().get(link).expect(200);
    expect(page.text).toContain('关于重污染天气黄色预警到期解除的通知');
    expect(page.text).toContain('到期解除');
    const { body } = await duty.get(`/api/alerts/${alertId}/parties`).expect(200);
    expect(
      body.filter(
        (p: { noticeKind: string; revisionId: string | null }) =>
          p.noticeKind === 'EXPIRE' && p.revisionId === null,
      ),
    ).toHaveLength(9);
  });
});
