import {
  afterFailure,
  describeMailError,
  isTransientMailError,
  leaseRenewalEveryMs,
  leasesLost,
  messageIdHeader,
  retryDelayMs,
} from './outbox.rules';

describe('isTransientMailError', () => {
  it.each([
    [{ responseCode: 451 }, true],
    [{ responseCode: 421 }, true],
    [{ responseCode: 550 }, false],
    [{ responseCode: 553 }, false],
    [{ code: 'ESOCKET' }, true],
    [{ code: 'ETIMEDOUT' }, true],
    [{ code: 'EENVELOPE' }, false],
    [{ code: 'EENVELOPE', responseCode: 450 }, true],
    [new Error('boom'), false],
    // The file transport's local I/O: a full disk, a device error, no file handles left, a busy file system …
    [Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), true],
    [{ code: 'EDQUOT' }, true],
    [{ code: 'EIO' }, true],
    [{ code: 'EMFILE' }, true],
    [{ code: 'ENFILE' }, true],
    [{ code: 'EAGAIN' }, true],
    [{ code: 'EBUSY' }, true],
    [{ code: 'EROFS' }, true],
    [{ code: 'EMESSAGE' }, false],
  ])('%p → %p', (error, transient) => {
    expect(isTransientMailError(error)).toBe(transient);
  });
});

describe('afterFailure', () => {
  it('retries transient errors until the attempts run out, fails permanent ones at once', () => {
    expect(afterFailure({ responseCode: 451 }, 1, 5)).toBe('RETRYING');
    expect(afterFailure({ responseCode: 451 }, 5, 5)).toBe('FAILED');
    expect(afterFailure({ responseCode: 550 }, 1, 5)).toBe('FAILED');
    expect(afterFailure({ code: 'ENOSPC' }, 1, 5)).toBe('RETRYING');
    expect(afterFailure({ code: 'ENOSPC' }, 5, 5)).toBe('FAILED');
  });
});

describe('retryDelayMs', () => {
  const opts = { baseMs: 1000, maxMs: 60_000 };
  it('doubles per attempt, within ±20% jitter, up to the cap', () => {
    expect(retryDelayMs(1, opts, () => 0.5)).toBe(1000);
    expect(retryDelayMs(3, opts, () => 0.5)).toBe(4000);
    expect(retryDelayMs(3, opts, () => 0)).toBe(3200);
    expect(retryDelayMs(3, opts, () => 1)).toBe(4800);
    expect(retryDelayMs(20, opts, () => 0.5)).toBe(60_000);
  });
});

describe('message ids and errors', () => {
  it('formats the Message-ID and a short error text', () => {
    expect(messageIdHeader('abc', 'haze.example')).toBe('<abc@haze.example>');
    expect(describeMailError({ code: 'EENVELOPE', responseCode: 550, message: 'mailbox unavailable' })).toBe(
      'EENVELOPE 550 mailbox unavailable',
    );
  });
});

describe('leaseRenewalEveryMs', () => {
  it('renews three times a lease, so two failed renewals in a row still leave the lease standing', () => {
    expect(leaseRenewalEveryMs(120_000)).toBe(40_000);
    expect(leaseRenewalEveryMs(2_000)).toBe(666);
  });
  it('never spins faster than every 100 ms', () => {
    expect(leaseRenewalEveryMs(1)).toBe(100);
  });
});

describe('leasesLost', () => {
  const asked = [
    { id: 'a', attempts: 1 },
    { id: 'b', attempts: 2 },
    { id: 'c', attempts: 1 },
  ];
  it('names the claims still held here that the renewal did not extend', () => {
    expect(leasesLost(asked, ['a'], () => true)).toEqual(['b', 'c']);
  });
  it('ignores claims released while the renewal ran (their outcome was recorded meanwhile)', () => {
    expect(leasesLost(asked, ['a'], (id) => id !== 'c')).toEqual(['b']);
  });
  it('asks about each claim by its attempt, so a later claim of the same message is not mistaken for it', () => {
    const held = new Map([
      ['b', 3],
      ['c', 1],
    ]);
    expect(leasesLost(asked, [], (id, attempts) => held.get(id) === attempts)).toEqual(['c']);
  });
  it('is empty when every lease was renewed', () => {
    expect(leasesLost(asked, ['c', 'b', 'a'], () => true)).toEqual([]);
  });
});
