import {
  ackTransition,
  deadlines,
  measuresInPlaceAtError,
  type OrderMeasure,
  orderDelta,
  orderMeasures,
} from './order.rules';

const m = (over: Partial<OrderMeasure> = {}): OrderMeasure => ({
  line: 'L1',
  action: 'LIMIT_PERCENT',
  params: { percent: 20 },
  description: '限产20%',
  reduction: { so2: 1, nox: 2, pm: 3, vocs: 4 },
  verification: 'DCS',
  fromHour: null,
  toHour: null,
  fromAt: null,
  toAt: null,
  ...over,
});

describe('deadlines', () => {
  const rules = { receiptMinHours: 2, reportWithinHours: 2 };
  it('wants receipt before the effective time when issued well ahead', () => {
    const d = deadlines(new Date('2026-11-28T10:00:00+08:00'), new Date('2026-11-29T00:00:00+08:00'), rules);
    expect(d).toEqual({
      receiptDueAt: new Date('2026-11-29T00:00:00+08:00'),
      reportDueAt: new Date('2026-11-29T02:00:00+08:00'),
    });
  });

  it('allows 2 h for receipt when issued less than 2 h ahead or late', () => {
    expect(
      deadlines(new Date('2026-11-28T23:00:00+08:00'), new Date('2026-11-29T00:00:00+08:00'), rules)
        .receiptDueAt,
    ).toEqual(new Date('2026-11-29T01:00:00+08:00'));
    const late = deadlines(
      new Date('2026-11-29T05:00:00+08:00'),
      new Date('2026-11-29T00:00:00+08:00'),
      rules,
    );
    expect(late).toEqual({
      receiptDueAt: new Date('2026-11-29T07:00:00+08:00'),
      reportDueAt: new Date('2026-11-29T07:00:00+08:00'),
    });
  });
});

describe('orderMeasures', () => {
  const start = new Date('2026-11-29T00:00:00Z');
  it('turns elapsed-hour windows into times and drops windows already over', () => {
    const list = [
      m({ description: 'a', toHour: 120 }),
      m({ description: 'b', fromHour: 120 }),
      m({ description: 'c' }),
    ];
    expect(orderMeasures(list, start, start).map((x) => [x.description, x.fromAt, x.toAt])).toEqual([
      ['a', null, '2026-12-04T00:00:00.000Z'],
      ['b', '2026-12-04T00:00:00.000Z', null],
      ['c', null, null],
    ]);
    expect(orderMeasures(list, start, new Date('2026-12-04T00:00:00Z')).map((x) => x.description)).toEqual([
      'b',
      'c',
    ]);
  });
});

describe('orderDelta', () => {
  it('lists added, relaxed and unchanged measures', () => {
    const keep = m({ description: '禁用国四货车', action: 'TRUCK_BAN_CN4', params: {} });
    const old = m({ description: '限产20%' });
    const now = m({ description: '停产', action: 'STOP', params: {} });
    expect(orderDelta([keep, old], [keep, now])).toEqual({ added: [now], relaxed: [old], unchanged: [keep] });
    expect(orderDelta([], [now])).toEqual({ added: [now], relaxed: [], unchanged: [] });
  });
});

describe('ackTransition', () => {
  it('records receipt and report once, idempotently', () => {
    expect(ackTransition('SENT', 'RECEIPT')).toEqual({ state: 'RECEIVED', changed: true });
    expect(ackTransition('PENDING', 'RECEIPT')).toEqual({ state: 'RECEIVED', changed: true });
    expect(ackTransition('OVERDUE', 'RECEIPT')).toEqual({ state: 'RECEIVED', changed: true });
    expect(ackTransition('RECEIVED', 'RECEIPT')).toEqual({ state: 'RECEIVED', changed: false });
    expect(ackTransition('RECEIVED', 'REPORT')).toEqual({ state: 'EXECUTED', changed: true });
    expect(ackTransition('SENT', 'REPORT')).toEqual({ state: 'EXECUTED', changed: true });
    expect(ackTransition('EXECUTED', 'REPORT')).toEqual({ state: 'EXECUTED', changed: false });
    expect(ackTransition('EXECUTED', 'RECEIPT')).toEqual({ state: 'EXECUTED', changed: false });
  });

  it('takes a receipt of a scheduled order in advance (still scheduled), once, and refuses its report', () => {
    expect(ackTransition('SCHEDULED', 'RECEIPT', null)).toEqual({ state: 'SCHEDULED', changed: true });
    expect(ackTransition('SCHEDULED', 'RECEIPT', new Date('2026-12-01T00:00:00Z'))).toEqual({
      state: 'SCHEDULED',
      changed: false,
    });
    expect(ackTransition('SCHEDULED', 'REPORT', null)).toEqual({
      code: 'ORDER_NOT_YET_IN_FORCE',
      error: expect.stringContaining('尚未生效'),
    });
  });

  it('refuses superseded and lifted orders', () => {
    expect(ackTransition('SUPERSEDED', 'RECEIPT')).toEqual({
      code: 'ORDER_SUPERSEDED',
      error: expect.stringContaining('替代'),
    });
    expect(ackTransition('LIFTED', 'REPORT')).toEqual({
      code: 'ORDER_ENDED',
      error: expect.stringContaining('解除'),
    });
  });
});

describe('measuresInPlaceAtError', () => {
  const issuedAt = new Date('2026-11-28T02:00:00Z');
  const now = new Date('2026-11-28T04:00:00Z');
  const check = (at: string) => measuresInPlaceAtError(new Date(at), issuedAt, now);

  it('accepts any time from the issue of the order up to now, and a few minutes past now for a fast clock', () => {
    expect(check('2026-11-28T02:00:00Z')).toBeNull();
    expect(check('2026-11-28T03:30:00Z')).toBeNull();
    expect(check('2026-11-28T04:00:00Z')).toBeNull();
    expect(check('2026-11-28T04:05:00Z')).toBeNull();
  });

  it('refuses a time before the order was issued, however far back', () => {
    expect(check('2026-11-28T01:59:59.999Z')).toBe('落实时间不能早于指令下达时间');
    expect(check('1900-01-01T00:00:00Z')).toBe('落实时间不能早于指令下达时间');
    expect(check('-010000-01-01T00:00:00Z')).toBe('落实时间不能早于指令下达时间');
  });

  it('refuses a time in the future beyond the tolerance', () => {
    expect(check('2026-11-28T04:05:00.001Z')).toBe('落实时间不能晚于当前时间');
    expect(check('+275760-09-13T00:00:00Z')).toBe('落实时间不能晚于当前时间');
  });

  it('refuses a time that is not a time', () => {
    expect(measuresInPlaceAtError(new Date('soon'), issuedAt, now)).toBe('请填写措施落实的时间');
  });
});
