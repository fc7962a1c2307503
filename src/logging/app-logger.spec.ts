import { Writable } from 'node:stream';
import { AppLogger } from './app-logger';
import { createRootLogger } from './logger-options';
import type { LogLevel } from './logging.rules';

/** An AppLogger writing to memory, and the JSON lines it wrote. */
function capture(level: LogLevel) {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const root = createRootLogger(level, stream);
  const params = { pinoHttp: { logger: root } };
  return { logger: new AppLogger(params, root), lines, raw };
}

describe('AppLogger', () => {
  it("writes Nest's calls as JSON lines with the context, the level's name and Beijing time", () => {
    const { logger, lines, raw } = capture('info');
    logger.log('tick done', 'AlertTransitionsJob');
    logger.warn('lease renewal failed', 'OutboxDispatcher');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'AlertTransitionsJob', msg: 'tick done' }),
      expect.objectContaining({ level: 'warn', context: 'OutboxDispatcher', msg: 'lease renewal failed' }),
    ]);
    for (const line of lines) expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
    expect(raw).toHaveLength(2);
  });

  it('writes the route mapping and module lines at debug: absent at info, there at debug', () => {
    const atInfo = capture('info');
    atInfo.logger.log('Mapped {/api/alerts, GET} route', 'RouterExplorer');
    atInfo.logger.log('AlertsController {/api/alerts}:', 'RoutesResolver');
    atInfo.logger.log('AlertsModule dependencies initialized', 'InstanceLoader');
    expect(atInfo.lines).toEqual([]);

    const atDebug = capture('debug');
    atDebug.logger.log('Mapped {/api/alerts, GET} route', 'RouterExplorer');
    atDebug.logger.log('AlertsModule dependencies initialized', 'InstanceLoader');
    expect(atDebug.lines).toEqual([
      expect.objectContaining({
        level: 'debug',
        context: 'RouterExplorer',
        msg: 'Mapped {/api/alerts, GET} route',
      }),
      expect.objectContaining({ level: 'debug', context: 'InstanceLoader' }),
    ]);
  });

  it("writes an error with Nest's (message, stack, context) contract as an err with its stack", () => {
    const { logger, lines } = capture('info');
    const e = new Error('boom');
    logger.error(e.message, e.stack, 'ExceptionsHandler');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      context: 'ExceptionsHandler',
      err: { message: 'boom' },
    });
    expect(String((lines[0].err as { stack: string }).stack)).toContain('app-logger.spec');
  });

  it('censors cookies, authorization headers and bodies in whatever object is logged', () => {
    const { logger, raw } = capture('info');
    logger.warn(
      {
        req: {
          headers: { cookie: 'hz_session=s3cret', authorization: 'Bearer k3y' },
          body: { password: 'pw0rd' },
        },
      },
      'Test',
    );
    expect(raw).toHaveLength(1);
    for (const secret of ['s3cret', 'k3y', 'pw0rd']) expect(raw[0]).not.toContain(secret);
    expect(raw[0]).toContain('[redacted]');
  });
});
