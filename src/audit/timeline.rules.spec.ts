import {
  parseTimelineCursor,
  timelineEventId,
  timelineLabel,
  timelinePage,
  timelineSummary,
} from './timeline.rules';

describe('timeline cursors', () => {
  it('names an event by its table and id, and reads the name back', () => {
    expect(timelineEventId('AUDIT', '42')).toBe('audit:42');
    expect(timelineEventId('DELIVERY', '7')).toBe('delivery:7');
    expect(parseTimelineCursor('audit:42')).toEqual({ kind: 'AUDIT', seq: '42' });
    expect(parseTimelineCursor('delivery:7')).toEqual({ kind: 'DELIVERY', seq: '7' });
  });

  it.each([
    '42',
    'audit:',
    'audit:0',
    'audit:01',
    'audit:-1',
    'other:1',
    'audit:1 ',
    `audit:${'9'.repeat(19)}`,
  ])('refuses %j', (cursor) => {
    expect(parseTimelineCursor(cursor)).toBeNull();
  });
});

describe('timelinePage', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `audit:${i + 1}` }));

  it('keeps the limit and points past the last row kept when a further row came back', () => {
    expect(timelinePage(rows(3), 2)).toEqual({ items: rows(2), nextAfter: 'audit:2' });
  });

  it('ends without a cursor when no further row came back', () => {
    expect(timelinePage(rows(2), 2)).toEqual({ items: rows(2), nextAfter: null });
    expect(timelinePage([], 2)).toEqual({ items: [], nextAfter: null });
  });
});

describe('timeline lines', () => {
  it("labels an audit entry with the catalog's label and adds the details", () => {
    expect(timelineLabel('AUDIT', 'alert.approved', { kind: 'ISSUE', level: 'RED' })).toBe('审批通过');
    expect(timelineSummary('AUDIT', 'alert.approved', { kind: 'ISSUE', level: 'RED' })).toBe(
      '审批通过(发布 红色)',
    );
    // A campaign has no level (NONE): the kind alone.
    expect(timelineSummary('AUDIT', 'alert.approved', { kind: 'ISSUE', level: 'NONE' })).toBe(
      '审批通过(发布)',
    );
    expect(timelineSummary('AUDIT', 'alert.lift.override', { reason: '风力转强' })).toBe(
      '预报不支持解除,指挥部书面说明后批准:风力转强',
    );
    expect(timelineSummary('AUDIT', 'alert.approval.two-person-concern', { message: '同一人' })).toBe(
      '两人审批存疑:同一人',
    );
    expect(timelineSummary('AUDIT', 'test.unknown', {})).toBe('test.unknown');
  });

  it('says a follow-up in words: the enterprise, how, the outcome and whom', () => {
    const data = {
      enterpriseName: '孝义甲焦化',
      kind: 'PHONE_CALL',
      outcome: 'REACHED',
      contactName: '王某',
    };
    expect(timelineSummary('AUDIT', 'order.followed-up', data)).toBe(
      '记录跟进情况:孝义甲焦化 · 电话 · 已接通 · 王某',
    );
    expect(
      timelineSummary('AUDIT', 'order.followed-up', {
        enterpriseName: '乙',
        kind: 'VISIT',
        outcome: 'COMPLIANT',
      }),
    ).toBe('记录跟进情况:乙 · 现场检查 · 已落实');
  });

  it('says an inspection, its steps and the grade decision in words (issue 17)', () => {
    expect(
      timelineSummary('AUDIT', 'inspection.recorded', { enterpriseName: '孝义甲焦化', result: 'VIOLATION' }),
    ).toBe('记录现场检查:孝义甲焦化 · 存在违规');
    expect(
      timelineSummary('AUDIT', 'inspection.rectification-closed', { enterpriseName: '孝义甲焦化' }),
    ).toBe('整改销号:孝义甲焦化');
    expect(timelineSummary('AUDIT', 'inspection.plan-drawn', { seed: 7 })).toBe('抽取现场检查名单');
    expect(
      timelineSummary('AUDIT', 'grade-review.decided', { enterpriseName: '乙', from: 'B', to: 'C' }),
    ).toBe('绩效分级复核决定:乙 · B级→C级');
  });

  it('reads an audited message action as an audit entry, not as a delivery', () => {
    expect(timelineSummary('AUDIT', 'message.requeued', { from: 'FAILED' })).toBe('重新发送');
    expect(timelineSummary('AUDIT', 'message.failed', {})).toBe('消息发送失败');
  });

  it('labels a delivery with its new state, its recipients and detail', () => {
    const data = { to: 'RETRYING', recipients: ['a@x.cn', 'b@x.cn'], detail: '421 busy' };
    expect(timelineLabel('DELIVERY', 'message.retrying', data)).toBe('发送失败,稍后重试');
    expect(timelineSummary('DELIVERY', 'message.retrying', data)).toBe(
      '发送失败,稍后重试:a@x.cn,b@x.cn(421 busy)',
    );
    expect(timelineSummary('DELIVERY', 'message.sent', { to: 'SENT', recipients: ['a@x.cn'] })).toBe(
      '已送达邮件服务器:a@x.cn',
    );
  });

  it('words the reconciliation and an officer’s review of a discrepancy in Chinese (issue 17)', () => {
    expect(
      timelineSummary('AUDIT', 'telemetry.reconciled', { exceeded: 3, missing: 1, flagged: 1, checks: 9 }),
    ).toBe('核对监测数据与指令:超出 3 处 · 缺数 1 处 · 与自报不符 1 处');
    expect(
      timelineSummary('AUDIT', 'telemetry.discrepancy-reviewed', {
        enterpriseName: '孝义甲焦化',
        point: 'JL1',
        kind: 'EXCEEDED',
        outcome: 'CONFIRMED',
      }),
    ).toBe('核实监测数据异常:孝义甲焦化 · JL1 · 超出指令允许值 · 属实(未落实措施)');
  });
});
