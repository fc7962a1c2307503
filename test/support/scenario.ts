import { SIGNER } from './signer';
import type { ParsedMail } from 'mailparser';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import type { EnterpriseInput, MeasureInput } from '../../src/enterprises/enterprise.types';
import { EnterprisesService } from '../../src/enterprises/enterprises.service';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { OutboxFilesService } from '../../src/notifications/outbox-files.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import type { SmtpSink } from './smtp-sink';
import type { TestApp } from './test-app';

export type Agent = Awaited<ReturnType<TestApp['signIn']>>;
type Level = 'YELLOW' | 'ORANGE' | 'RED';
type DrainResult = Awaited<ReturnType<OutboxDispatcher['drain']>>;

export interface ScenarioEnterprise {
  /** How the test names it (`s.receipt('jia')`). */
  key: string;
  /** The contact's address; `<key>@test.example` unless `input.contacts` says otherwise. */
  email?: string;
  /** Anything else of the enterprise (name, countyCode, grade…); countyCode defaults to 141181. */
  input?: Partial<EnterpriseInput>;
  /** Its plan; one measure at the warning's level unless given; `null` for no plan at all. */
  measures?: MeasureInput[] | null;
}

export interface ScenarioWarning {
  level?: Level;
  /** Defaults to the counties of the scenario's enterprises. */
  countyCodes?: string[];
  effectiveAt?: string;
  reason?: string;
  /** Anything else the draft takes (expectedEndAt, consultationId…). */
  [field: string]: unknown;
}

export interface Scenario {
  agents: { admin: Agent; duty: Agent; commander: Agent };
  /** Enterprise ids by key. */
  ids: Record<string, string>;
  /** The draft's answer (id, code…) and its id; undefined when no warning was drafted. */
  alert: { id: string; code: string } & Record<string, unknown>;
  alertId: string;
  /** After approval: the warning's order ids by key, and all of them ordered by id. */
  orders: Record<string, string>;
  orderIds: string[];
  /** After delivery: what the dispatcher did, and per key the outbox message and its mailed ack token. */
  delivery: DrainResult | undefined;
  messages: Record<string, string>;
  tokens: Record<string, string>;
  /** The enterprise confirms receipt through its link (no session): expects 303. */
  receipt(key: string): Promise<unknown>;
  /** The enterprise reports its measures in place at `at` (local `YYYY-MM-DDTHH:mm`): expects 303. */
  report(key: string, at: string, note?: string): Promise<unknown>;
}

const ACK_TOKEN = /\/ack\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/;

/**
 * The setup most e2e files share, as the people do it: the admin registers enterprises and their plans, the duty
 * officer drafts a warning, the commander approves it, the dispatcher sends the orders (to the SMTP sink, or to
 * the demo outbox files without one) and the test holds each enterprise's signed link as mailed.
 *
 *   const s = await scenario(t, { sink }).enterprises([{ key: 'jia' }]).warning({ level: 'ORANGE' })
 *     .approved().delivered();
 *   await s.receipt('jia');
 *
 * Nothing runs until the builder is awaited; each step runs only if asked for (a draft stays a draft without
 * `.approved()`, approved orders stay queued without `.delivered()`).
 */
export function scenario(
  t: TestApp,
  opts: { sink?: SmtpSink; agents?: Partial<Scenario['agents']> } = {},
): ScenarioBuilder {
  return new ScenarioBuilder(t, opts.sink, opts.agents ?? {});
}

export class ScenarioBuilder implements PromiseLike<Scenario> {
  private specs: ScenarioEnterprise[] = [];
  private via: 'api' | 'service' = 'api';
  private draft: ScenarioWarning | undefined;
  private approval: Record<string, unknown> | undefined;
  private deliver = false;

  constructor(
    private readonly t: TestApp,
    private readonly sink: SmtpSink | undefined,
    private readonly given: Partial<Scenario['agents']>,
  ) {}

  /** Enterprises with their plans, through the API as the admin, or (`via: 'service'`) as the system. */
  enterprises(specs: ScenarioEnterprise[], opts: { via?: 'api' | 'service' } = {}): this {
    this.specs.push(...specs);
    this.via = opts.via ?? this.via;
    return this;
  }

  warning(w: ScenarioWarning = {}): this {
    this.draft = w;
    return this;
  }

  /** The commander approves (the body may carry `overrideReason` or a comment). */
  approved(body: Record<string, unknown> = {}): this {
    this.approval = body;
    return this;
  }

  delivered(): this {
    this.deliver = true;
    return this;
  }

  then<R1 = Scenario, R2 = never>(
    onfulfilled?: ((value: Scenario) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    return this.run().then(onfulfilled, onrejected);
  }

  private async run(): Promise<Scenario> {
    const { t } = this;
    const level = this.draft?.level ?? 'ORANGE';
    const [admin, duty, commander] = await Promise.all([
      this.given.admin ?? t.signIn(['ADMIN']),
      this.given.duty ?? t.signIn(['DUTY_OFFICER']),
      this.given.commander ?? t.signIn(['COMMANDER']),
    ]);
    const ids: Record<string, string> = {};
    for (const spec of this.specs) ids[spec.key] = await this.create(spec, level, admin);

    const s: Scenario = {
      agents: { admin, duty, commander },
      ids,
      alert: undefined as unknown as Scenario['alert'],
      alertId: undefined as unknown as string,
      orders: {},
      orderIds: [],
      delivery: undefined,
      messages: {},
      tokens: {},
      receipt: (key) =>
        t
          .http()
          .post(`/ack/${tokenOf(s, key)}/receipt`)
          .type('form')
          .send(SIGNER)
          .expect(303),
      report: (key, at, note = '已落实') =>
        t
          .http()
          .post(`/ack/${tokenOf(s, key)}/report`)
          .type('form')
          .send({ ...SIGNER, measuresInPlaceAt: at, note })
          .expect(303),
    };
    if (!this.draft) return s;

    const { level: _l, countyCodes, effectiveAt, reason, ...rest } = this.draft;
    const counties = countyCodes ?? [...new Set(this.specs.map((e) => e.input?.countyCode ?? '141181'))];
    const { body } = await duty
      .post('/api/alerts')
      .send({
        level,
        countyCodes: counties.length ? counties : ['141181'],
        effectiveAt: effectiveAt ?? '2026-11-28T20:00:00+08:00',
        reason: reason ?? '会商',
        ...rest,
      })
      .expect(201);
    s.alert = body;
    s.alertId = body.id as string;
    if (!this.approval) return s;

    await commander.post(`/api/alerts/${s.alertId}/approve`).send(this.approval).expect(200);
    const rows = await t.dataSource.query<Array<{ id: string; enterprise_id: string }>>(
      'SELECT id, enterprise_id FROM reduction_order WHERE alert_id = $1 ORDER BY id',
      [s.alertId],
    );
    s.orderIds = rows.map((r) => r.id);
    for (const [key, id] of Object.entries(ids)) {
      const row = rows.find((r) => r.enterprise_id === id);
      if (row) s.orders[key] = row.id;
    }
    if (!this.deliver) return s;

    const before = this.sink?.received ?? 0;
    s.delivery = await t.app.get(OutboxDispatcher).drain();
    if (this.sink && s.delivery.sent) await this.sink.waitFor(before + s.delivery.sent);
    const messages = await t.dataSource.query<Array<{ id: string; order_id: string; state: string }>>(
      'SELECT id, order_id, state FROM outbox_message WHERE alert_id = $1 ORDER BY id',
      [s.alertId],
    );
    for (const [key, orderId] of Object.entries(s.orders)) {
      const message = messages.find((m) => m.order_id === orderId);
      if (!message) continue;
      s.messages[key] = message.id;
      if (message.state !== 'SENT') continue; // refused by its mailbox: no link reached the enterprise
      const text = await this.mailText(message.id);
      const token = ACK_TOKEN.exec(text ?? '')?.[1];
      if (!token) throw new Error(`scenario: no signed link in the notice to ${key}`);
      s.tokens[key] = token;
    }
    return s;
  }

  private async create(spec: ScenarioEnterprise, level: Level, admin: Agent): Promise<string> {
    const input = enterpriseInput({
      countyCode: '141181',
      contacts: [{ name: '联系人', email: spec.email ?? `${spec.key}@test.example` }],
      ...spec.input,
    });
    const measures = spec.measures === undefined ? [measure({ level })] : spec.measures;
    if (this.via === 'service') {
      const enterprises = this.t.app.get(EnterprisesService);
      const e = await enterprises.create(input, SYSTEM_ACTOR);
      if (measures) await enterprises.putPlan(e.id, { measures }, SYSTEM_ACTOR);
      return e.id;
    }
    const { body } = await admin.post('/api/enterprises').send(input).expect(201);
    if (measures) await admin.put(`/api/enterprises/${body.id}/plan`).send({ measures }).expect(200);
    return body.id as string;
  }

  /** The notice as mailed: from the sink (matched by its Message-ID), or the demo outbox's file. */
  private async mailText(messageId: string): Promise<string | undefined> {
    if (!this.sink) return (await this.t.app.get(OutboxFilesService).read(messageId))?.text;
    const mail = this.sink.messages.find((m: ParsedMail) => m.messageId?.startsWith(`<${messageId}@`));
    return mail?.text;
  }
}

function tokenOf(s: Scenario, key: string): string {
  const token = s.tokens[key];
  if (!token) throw new Error(`scenario: no ack link mailed to ${key}`);
  return token;
}
