import { afterWorkerExit } from './web-workers';

describe('afterWorkerExit', () => {
  it('replaces a worker that crashed or was killed after it had served', () => {
    expect(afterWorkerExit({ code: 1, signal: null, listened: true, shuttingDown: false })).toBe('replace');
    expect(afterWorkerExit({ code: null, signal: 'SIGKILL', listened: true, shuttingDown: false })).toBe(
      'replace',
    );
  });

  it('stops everything when a worker fails before it ever served', () => {
    expect(afterWorkerExit({ code: 1, signal: null, listened: false, shuttingDown: false })).toBe('stop');
  });

  it('does nothing during a shutdown or after a clean exit', () => {
    expect(afterWorkerExit({ code: null, signal: 'SIGTERM', listened: true, shuttingDown: true })).toBe(
      'none',
    );
    expect(afterWorkerExit({ code: 1, signal: null, listened: false, shuttingDown: true })).toBe('none');
    expect(afterWorkerExit({ code: 0, signal: null, listened: true, shuttingDown: false })).toBe('none');
  });
});
