import {
  answeredDirectives,
  bindsCounty,
  bindsDuring,
  countiesBelow,
  describeViolations,
  type DirectiveFacts,
  directiveStatus,
  floorViolations,
} from './directive.rules';

const at = (s: string) => new Date(`${s}+08:00`);
const FLAT = ['141121', '141122', '141181', '141182']; // 平川四县

const order = (over: Partial<DirectiveFacts> = {}): DirectiveFacts => ({
  number: '晋气防办调〔2026〕4号',
  kind: 'DISPATCH_ORDER',
  level: 'ORANGE',
  countyCodes: FLAT,
  startAt: at('2026-11-29T00:00:00'),
  endAt: at('2026-12-02T00:00:00'),
  liftedAt: null,
  ...over,
});

describe('directiveStatus', () => {
  it('is SCHEDULED before the start, IN_FORCE from exactly the start, ENDED from exactly the end', () => {
    const d = order();
    expect(directiveStatus(d, at('2026-11-28T23:59:59'))).toBe('SCHEDULED');
    expect(directiveStatus(d, at('2026-11-29T00:00:00'))).toBe('IN_FORCE');
    expect(directiveStatus(d, at('2026-12-01T23:59:59'))).toBe('IN_FORCE');
    expect(directiveStatus(d, at('2026-12-02T00:00:00'))).toBe('ENDED');
  });

  it('with no end stays in force until lifted, and is LIFTED from exactly the lift time', () => {
    const d = order({ endAt: null });
    expect(directiveStatus(d, at('2027-03-01T00:00:00'))).toBe('IN_FORCE');
    const lifted = order({ endAt: null, liftedAt: at('2026-11-30T12:00:00') });
    expect(directiveStatus(lifted, at('2026-11-30T11:59:59'))).toBe('IN_FORCE');
    expect(directiveStatus(lifted, at('2026-11-30T12:00:00'))).toBe('LIFTED');
  });

  it('is LIFTED when withdrawn before its start, and ENDED when a lift came after its own end', () => {
    const withdrawn = order({ liftedAt: at('2026-11-28T10:00:00') });
    expect(directiveStatus(withdrawn, at('2026-11-28T09:00:00'))).toBe('SCHEDULED');
    expect(directiveStatus(withdrawn, at('2026-11-29T06:00:00'))).toBe('LIFTED');
    const late = order({ liftedAt: at('2026-12-03T00:00:00') });
    expect(directiveStatus(late, at('2026-12-02T00:00:00'))).toBe('ENDED');
    expect(directiveStatus(late, at('2026-12-04T00:00:00'))).toBe('ENDED');
  });
});

describe('bindsCounty / bindsDuring', () => {
  it('binds only the counties it names, only while in force', () => {
    const d = order();
    expect(bindsCounty(d, '141181', at('2026-11-29T00:00:00'))).toBe(true);
    expect(bindsCounty(d, '141102', at('2026-11-29T00:00:00'))).toBe(false); // 离石区 not named
    expect(bindsCounty(d, '141181', at('2026-11-28T23:00:00'))).toBe(false);
    expect(bindsCounty(d, '141181', at('2026-12-02T00:00:00'))).toBe(false);
  });

  it('binds a span that overlaps [start, end or lift), touching ends excluded; a withdrawn order never', () => {
    const d = order({ liftedAt: at('2026-11-30T00:00:00') });
    expect(bindsDuring(d, at('2026-11-28T00:00:00'), at('2026-11-29T00:00:00'))).toBe(false);
    expect(bindsDuring(d, at('2026-11-28T00:00:00'), at('2026-11-29T00:00:01'))).toBe(true);
    expect(bindsDuring(d, at('2026-11-30T00:00:00'), null)).toBe(false); // from the lift on
    expect(bindsDuring(d, at('2026-11-29T23:00:00'), null)).toBe(true);
    const withdrawn = order({ liftedAt: at('2026-11-28T00:00:00') });
    expect(bindsDuring(withdrawn, at('2026-11-28T00:00:00'), null)).toBe(false);
  });
});

describe('floorViolations', () => {
  const d = order();

  it('refuses a draft below the level for the named counties it covers, naming only those', () => {
    const found = floorViolations([d], {
      kind: 'ISSUE',
      level: 'YELLOW',
      countyCodes: ['141181', '141102'],
      from: at('2026-11-29T12:00:00'),
      to: null,
    });
    expect(found).toEqual([{ directive: d, countyCodes: ['141181'] }]);
  });

  it('accepts a draft at or above the level, one outside the counties and one outside the time', () => {
    const draft = { kind: 'ISSUE' as const, countyCodes: FLAT, from: at('2026-11-29T00:00:00'), to: null };
    expect(floorViolations([d], { ...draft, level: 'ORANGE' })).toEqual([]);
    expect(floorViolations([d], { ...draft, level: 'RED' })).toEqual([]);
    expect(floorViolations([d], { ...draft, level: 'YELLOW', countyCodes: ['141102'] })).toEqual([]);
    expect(
      floorViolations([d], { ...draft, level: 'YELLOW', from: at('2026-12-02T00:00:00'), to: null }),
    ).toEqual([]);
    // A draft ending exactly when the order starts does not overlap it.
    expect(
      floorViolations([d], {
        ...draft,
        level: 'YELLOW',
        from: at('2026-11-27T00:00:00'),
        to: at('2026-11-29T00:00:00'),
      }),
    ).toEqual([]);
  });

  it('refuses a downgrade below the level that would run into the order, even one starting later', () => {
    const later = order({ startAt: at('2026-12-01T00:00:00'), endAt: null });
    const down = {
      kind: 'DOWNGRADE' as const,
      countyCodes: ['141121'],
      from: at('2026-11-30T00:00:00'),
      to: at('2026-12-03T00:00:00'),
    };
    expect(floorViolations([later], { ...down, level: 'YELLOW' })).toHaveLength(1);
    expect(floorViolations([later], { ...down, level: 'ORANGE' })).toEqual([]);
    expect(floorViolations([later], { ...down, level: 'YELLOW', to: at('2026-12-01T00:00:00') })).toEqual([]);
  });

  it('refuses a lift taking effect while the order is in force, exactly at the start included, at the end not', () => {
    const lift = (t: string) => floorViolations([d], { kind: 'LIFT', countyCodes: ['141182'], at: at(t) });
    expect(lift('2026-11-28T23:59:59')).toEqual([]);
    expect(lift('2026-11-29T00:00:00')).toHaveLength(1);
    expect(lift('2026-12-01T23:59:59')).toHaveLength(1);
    expect(lift('2026-12-02T00:00:00')).toEqual([]);
    const lifted = order({ liftedAt: at('2026-11-30T00:00:00') });
    expect(
      floorViolations([lifted], { kind: 'LIFT', countyCodes: FLAT, at: at('2026-11-30T00:00:00') }),
    ).toEqual([]);
  });

  it('refuses a cancel of a warning that would have covered the order', () => {
    const cancel = { kind: 'CANCEL' as const, countyCodes: ['141122'] };
    expect(floorViolations([d], { ...cancel, from: at('2026-11-28T20:00:00'), to: null })).toHaveLength(1);
    expect(
      floorViolations([d], { ...cancel, from: at('2026-11-28T00:00:00'), to: at('2026-11-28T20:00:00') }),
    ).toEqual([]);
  });

  it('names each directive with its 文号, level and counties', () => {
    const found = floorViolations([d], {
      kind: 'LIFT',
      countyCodes: ['141121', '141122'],
      at: at('2026-11-30T00:00:00'),
    });
    const names: Record<string, string> = { '141121': '文水县', '141122': '交城县' };
    expect(describeViolations(found, (c) => names[c])).toBe(
      '省级调度令 晋气防办调〔2026〕4号 要求文水县、交城县不低于橙色预警(2026年11月29日 00:00起至2026年12月02日 00:00)',
    );
  });
});

describe('countiesBelow (需启动)', () => {
  const d = order({ endAt: null });
  const now = at('2026-11-29T06:00:00');

  it('lists every named county while no warning answers it', () => {
    expect(countiesBelow(d, [], now)).toEqual(FLAT);
  });

  it('drops the counties a warning covers at the level or above during the order, per county', () => {
    const warnings = [
      {
        countyCodes: ['141121', '141122'],
        level: 'ORANGE' as const,
        start: at('2026-11-29T00:00:00'),
        end: null,
      },
      { countyCodes: ['141181'], level: 'RED' as const, start: at('2026-11-29T08:00:00'), end: null },
      { countyCodes: ['141182'], level: 'YELLOW' as const, start: at('2026-11-29T00:00:00'), end: null },
    ];
    expect(countiesBelow(d, warnings, now)).toEqual(['141182']);
  });

  it('does not count a warning that ended before now, and a scheduled order is judged from its start', () => {
    const ended = [{ countyCodes: FLAT, level: 'RED' as const, start: at('2026-11-28T00:00:00'), end: now }];
    expect(countiesBelow(d, ended, now)).toEqual(FLAT);
    const scheduled = order({ startAt: at('2026-12-01T00:00:00'), endAt: null });
    const answering = [
      { countyCodes: FLAT, level: 'ORANGE' as const, start: at('2026-12-01T00:00:00'), end: null },
    ];
    expect(countiesBelow(scheduled, answering, now)).toEqual([]);
  });

  it('is empty once the order has ended or been lifted', () => {
    expect(countiesBelow(order(), [], at('2026-12-02T00:00:00'))).toEqual([]);
    expect(countiesBelow(order({ liftedAt: now }), [], now)).toEqual([]);
  });
});

describe('answeredDirectives', () => {
  const a = { ...order(), id: 'a' };
  const b = { ...order({ countyCodes: ['141102'], number: 'B' }), id: 'b' };
  const c = { ...order({ startAt: at('2026-12-05T00:00:00'), endAt: null, number: 'C' }), id: 'c' };

  it('takes those binding its counties during its span, and the one named whatever it covers', () => {
    const w = { countyCodes: ['141181'], start: at('2026-11-29T00:00:00'), end: at('2026-12-01T00:00:00') };
    expect(answeredDirectives([a, b, c], w, null).map((d) => d.id)).toEqual(['a']);
    expect(answeredDirectives([a, b, c], w, 'c').map((d) => d.id)).toEqual(['a', 'c']);
    expect(answeredDirectives([a, b, c], { ...w, end: null }, null).map((d) => d.id)).toEqual(['a', 'c']);
  });
});
