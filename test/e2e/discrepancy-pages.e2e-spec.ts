import { randomUUID } from 'node:crypto';
import { postForm } from '../support/console-forms';
import { discrepancyWarning, SHILOU, XIAOYI, type DiscrepancyWarning } from '../support/reconciliation-setup';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 17, the console's 监测核查 pages: what the queue, a finding's page and the review form refuse. A county
 * officer meets another county's finding as the not-found page (reading it or reviewing it); an auditor reads the
 * queue without a form and cannot post one; a finding is reviewed once; the 立即核查 form is the duty officers'.
 */
describe('the discrepancy pages refuse what the API refuses', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let w: DiscrepancyWarning;
  const ids: Record<string, string> = {};

  const reviewOf = async (id: string) =>
    (
      await t.dataSource.query<Array<{ review_outcome: string | null }>>(
        'SELECT review_outcome FROM telemetry_discrepancy WHERE id = $1',
        [id],
      )
    )[0].review_outcome;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    w = await discrepancyWarning(t, sink);
    await w.s.agents.duty.post(`/api/alerts/${w.s.alertId}/reconciliation`).expect(200);
    const rows = await t.dataSource.query<Array<{ id: string; enterprise_id: string }>>(
      'SELECT id, enterprise_id FROM telemetry_discrepancy WHERE alert_id = $1',
      [w.s.alertId],
    );
    for (const [key, enterpriseId] of Object.entries(w.s.ids))
      ids[key] = rows.find((r) => r.enterprise_id === enterpriseId)?.id ?? '';
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('runs 立即核查 from the warning page and shows the run per county, a county officer their counties only', async () => {
    expect(Object.values(ids).every(Boolean)).toBe(true);
    const runs = () =>
      t.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'telemetry.reconciled' AND alert_id = $1`,
        [w.s.alertId],
      );
    const run = await postForm(w.s.agents.duty, `/alerts/${w.s.alertId}/reconciliation`, {});
    expect(run.status).toBe(303);
    expect(run.headers.location).toBe(`/alerts/${w.s.alertId}?msg=reconciliation#reconciliation`);
    expect(await runs()).toEqual([{ n: 2 }]);
    const page = await w.s.agents.duty.get(`/alerts/${w.s.alertId}?msg=reconciliation`).expect(200);
    expect(page.text).toContain('监测核查已完成');
    expect(page.text).toMatch(/data-county-name="孝义市"/);
    expect(page.text).toMatch(/data-county-name="石楼县"/);
    expect(page.text).toContain('id="reconcile-now"');
    const officer = await t.signIn(['COUNTY_OFFICER'], 'shilou-pages', [SHILOU]);
    const own = await officer.get(`/alerts/${w.s.alertId}`).expect(200);
    expect(own.text).toMatch(/data-county-name="石楼县"/);
    expect(own.text).not.toMatch(/data-county-name="孝义市"/);
    expect(own.text).not.toContain('id="reconcile-now"');
    // Nor may they run it by posting the form.
    const refused = await postForm(officer, `/alerts/${w.s.alertId}/reconciliation`, {});
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('data-code="FORBIDDEN"');
    expect(await runs()).toEqual([{ n: 2 }]);
  });

  it('meets a county officer with the not-found page for another county’s finding, read or reviewed', async () => {
    const officer = await t.signIn(['COUNTY_OFFICER'], 'shilou-refused', [SHILOU]);
    const other = await officer.get(`/discrepancies/${ids.xiaoyi}`).expect(404);
    const unknown = await officer.get(`/discrepancies/${randomUUID()}`).expect(404);
    expect(other.headers['content-type']).toMatch(/text\/html/);
    expect(other.text).toContain('页面不存在');
    expect(other.text).not.toContain('孝义核查停产焦化有限公司');
    expect(other.text.replace(/name="_csrf" value="[^"]+"/g, '')).toEqual(
      unknown.text.replace(/name="_csrf" value="[^"]+"/g, ''),
    );
    const posted = await postForm(officer, `/discrepancies/${ids.xiaoyi}/review`, {
      outcome: 'CONFIRMED',
      note: '试图核实其他区县',
    });
    expect(posted.status).toBe(404);
    expect(posted.text).toContain('页面不存在');
    expect(await reviewOf(ids.xiaoyi)).toBeNull();
    // Their own finding opens; a filter on another county finds nothing.
    const own = await officer.get(`/discrepancies/${ids.shilou}`).expect(200);
    expect(own.text).toContain('石楼核查停产焦化有限公司');
    const filtered = await officer.get(`/discrepancies?county=${XIAOYI}`).expect(200);
    expect(filtered.text).toContain('id="discrepancy-empty"');
    expect(filtered.text).not.toContain('孝义核查停产焦化有限公司');
  });

  it('lets an auditor read the queue without a form, and refuses the review they post', async () => {
    const auditor = await t.signIn(['AUDITOR'], 'shenji-pages');
    const queue = await auditor.get('/discrepancies').expect(200);
    expect(queue.text).toContain('孝义核查停产焦化有限公司');
    expect(queue.text).toContain('石楼核查断数焦化有限公司');
    expect(queue.text).not.toContain('class="review-form"');
    const posted = await postForm(auditor, `/discrepancies/${ids.shilougap}/review`, {
      outcome: 'CONFIRMED',
    });
    expect(posted.status).toBe(403);
    expect(posted.text).toContain('data-code="FORBIDDEN"');
    expect(await reviewOf(ids.shilougap)).toBeNull();
    // An administrator has no 监测核查.
    const admin = await t.signIn(['ADMIN'], 'guanli-pages');
    await admin.get('/discrepancies').expect(403);
  });

  it('refuses a review without the form’s token, and a second review of the same finding', async () => {
    const duty = w.s.agents.duty;
    const forged = await duty
      .post(`/discrepancies/${ids.shilougap}/review`)
      .type('form')
      .send('outcome=CONFIRMED');
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('data-code="CSRF_REJECTED"');
    expect(await reviewOf(ids.shilougap)).toBeNull();

    const first = await postForm(duty, `/discrepancies/${ids.shilougap}/review?kind=MISSING_DATA`, {
      outcome: 'EXPLAINED',
      note: '分表计电装置通讯中断,已报修',
      from: 'queue',
    });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(
      `/discrepancies?kind=MISSING_DATA&msg=reviewed#discrepancy-${ids.shilougap}`,
    );
    expect(await reviewOf(ids.shilougap)).toBe('EXPLAINED');
    const again = await postForm(duty, `/discrepancies/${ids.shilougap}/review?kind=MISSING_DATA`, {
      outcome: 'CONFIRMED',
      from: 'queue',
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain('id="review-error"');
    expect(again.text).toContain('该异常已核实过,不能重复核实');
    expect(await reviewOf(ids.shilougap)).toBe('EXPLAINED');
    const audited = await t.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'telemetry.discrepancy-reviewed'`,
    );
    expect(audited).toEqual([{ n: 1 }]);
  });

  it('ignores filters it does not know rather than failing the page', async () => {
    const page = await w.s.agents.duty
      .get('/discrepancies?kind=WRONG&flagged=maybe&page=x&alert=1')
      .expect(200);
    expect(page.text).toContain('孝义核查停产焦化有限公司');
    expect(page.text).toContain('共 3 条');
  });
});
