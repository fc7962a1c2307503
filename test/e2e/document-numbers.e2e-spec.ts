import { RevisionEffects } from '../../src/alerts/revision-effects';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * 文号: each released notice takes the year's next number inside the releasing transaction, so concurrent
 * approvals get distinct numbers with no gap, and an approval that rolls back gives its number back.
 */
describe('document numbers of released notices', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-28T10:00:00+08:00');
  });

  afterAll(() => t.close());

  const draft = async (countyCode: string, effectiveAt = '2026-11-28T20:00:00+08:00') => {
    const duty = await t.signIn(['DUTY_OFFICER']);
    const { body, status } = await duty.post('/api/alerts').send({
      level: 'YELLOW',
      countyCodes: [countyCode],
      effectiveAt,
      reason: '会商',
    });
    if (status !== 201) throw new Error(JSON.stringify(body));
    return body.id as string;
  };

  const numbers = async () =>
    (
      await t.dataSource.query<Array<{ document_number: string }>>(
        'SELECT document_number FROM alert_revision ORDER BY approved_at, document_number',
      )
    ).map((r) => r.document_number);

  it('gives four concurrent approvals by four commanders the numbers 1 to 4 of the year, once each', async () => {
    const ids = await Promise.all(['141181', '141182', '141121', '141122'].map((c) => draft(c)));
    const commanders = await Promise.all(ids.map(() => t.signIn(['COMMANDER'])));
    const answers = await Promise.all(
      ids.map((id, i) => commanders[i].post(`/api/alerts/${id}/approve`).send({})),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const given = answers.map((a) => a.body.revisions[0].documentNumber as string);
    expect([...given].sort()).toEqual([
      '吕重污应急〔2026〕1号',
      '吕重污应急〔2026〕2号',
      '吕重污应急〔2026〕3号',
      '吕重污应急〔2026〕4号',
    ]);
    expect((await numbers()).sort()).toEqual([...given].sort());
    // The audit entry of each approval names the number it released.
    const audited = await t.dataSource.query<Array<{ n: string }>>(
      "SELECT data->>'documentNumber' AS n FROM audit_entry WHERE action = 'alert.approved'",
    );
    expect(audited.map((a) => a.n).sort()).toEqual([...given].sort());
    // And the API shows it on the revision.
    const viewer = await t.signIn(['AUDITOR']);
    const view = await viewer.get(`/api/alerts/${ids[0]}`).expect(200);
    expect(view.body.revisions[0].documentNumber).toBe(given[0]);
  });

  it('gives a rolled-back approval’s number to the next release (no gap)', async () => {
    const [failing, next] = await Promise.all([draft('141123'), draft('141124')]);
    const commander = await t.signIn(['COMMANDER']);
    const effects = t.app.get(RevisionEffects);
    // The orders fail after the number was taken: the whole approval rolls back.
    const spy = jest.spyOn(effects, 'onApproved').mockRejectedValueOnce(new Error('orders down'));
    try {
      const r = await commander.post(`/api/alerts/${failing}/approve`).send({});
      expect(r.status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    const failed = await t.dataSource.query<unknown[]>('SELECT 1 FROM alert_revision WHERE alert_id = $1', [
      failing,
    ]);
    expect(failed).toHaveLength(0);
    const ok = await commander.post(`/api/alerts/${next}/approve`).send({}).expect(200);
    expect(ok.body.revisions[0].documentNumber).toBe('吕重污应急〔2026〕5号');
    // The warning that failed is approved afterwards and takes the number after it.
    const again = await commander.post(`/api/alerts/${failing}/approve`).send({}).expect(200);
    expect(again.body.revisions[0].documentNumber).toBe('吕重污应急〔2026〕6号');
  });

  it('starts again at 1 in a new Beijing year', async () => {
    t.clock.set('2027-01-01T00:30:00+08:00');
    const id = await draft('141125', '2027-01-01T08:00:00+08:00');
    const commander = await t.signIn(['COMMANDER']);
    const { body } = await commander.post(`/api/alerts/${id}/approve`).send({}).expect(200);
    expect(body.revisions[0].documentNumber).toBe('吕重污应急〔2027〕1号');
  });
});
