import { scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

/** Issue 16, "Outbox": each message with whom it addresses, its warning and 文号; search, filters and paging. */
describe('the console outbox: search, filter, page', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let alertCode: string;
  let duty: Awaited<ReturnType<TestApp['signIn']>>;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const s = await scenario(t, { sink })
      .enterprises([
        { key: 'jia', input: { name: '孝义甲焦化有限公司' } },
        { key: 'yi', input: { name: '孝义乙钢铁有限公司' } },
        { key: 'bing', input: { name: '孝义丙水泥有限公司' } },
      ])
      .warning({ level: 'ORANGE', countyCodes: ['141181'], reason: '会商研判,污染已较重' })
      .approved()
      .delivered();
    alertCode = s.alert.code;
    duty = s.agents.duty;
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const rows = (html: string) =>
    [
      ...html.matchAll(
        /<tr data-message="[^"]+"><td>([^<]*)<\/td><td class="addressee">([^<]*)<\/td><td>(.*?)<\/td>/g,
      ),
    ].map((m) => [m[1], m[2], m[3].replace(/<[^>]+>/g, '')]);

  it('lists each message with its kind, addressee, warning and 文号', async () => {
    const page = await duty.get('/outbox').expect(200);
    expect(page.text).toContain('共 3 封');
    expect(rows(page.text).sort()).toEqual([
      ['减排指令通知', '孝义丙水泥有限公司', alertCode],
      ['减排指令通知', '孝义乙钢铁有限公司', alertCode],
      ['减排指令通知', '孝义甲焦化有限公司', alertCode],
    ]);
    expect(page.text).toContain('<td class="document-number">吕重污应急〔2026〕1号</td>');
  });

  it('searches by enterprise name, warning code, 文号 or address, and filters by kind and state', async () => {
    expect(rows((await duty.get('/outbox').query({ q: '乙钢铁' }).expect(200)).text)).toEqual([
      ['减排指令通知', '孝义乙钢铁有限公司', alertCode],
    ]);
    expect(rows((await duty.get('/outbox').query({ q: alertCode }).expect(200)).text)).toHaveLength(3);
    expect(
      rows((await duty.get('/outbox').query({ q: '吕重污应急〔2026〕1号' }).expect(200)).text),
    ).toHaveLength(3);
    expect(rows((await duty.get('/outbox').query({ q: 'JIA@test.example' }).expect(200)).text)).toEqual([
      ['减排指令通知', '孝义甲焦化有限公司', alertCode],
    ]);
    expect(rows((await duty.get('/outbox').query({ kind: 'REMINDER' }).expect(200)).text)).toEqual([]);
    expect(
      rows((await duty.get('/outbox').query({ state: 'SENT', kind: 'ORDER_ISSUED' }).expect(200)).text),
    ).toHaveLength(3);
    expect(rows((await duty.get('/outbox').query({ state: 'FAILED' }).expect(200)).text)).toEqual([]);
  });

  it('pages through the messages, newest first, keeping the filters in the links', async () => {
    const service = t.app.get((await import('../../src/notifications/outbox.service')).OutboxService);
    const first = await service.search({ q: alertCode, page: 1, pageSize: 2 });
    const second = await service.search({ q: alertCode, page: 2, pageSize: 2 });
    expect([first.total, first.items.length, second.items.length]).toEqual([3, 2, 1]);
    expect(new Set([...first.items, ...second.items].map((m) => m.id)).size).toBe(3);
    const page = await duty.get('/outbox').query({ q: alertCode }).expect(200);
    expect(page.text).toContain('第 1 / 1 页');
  });
});
