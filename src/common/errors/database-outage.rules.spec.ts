import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-outage.rules';

/** A server error as node-postgres raises it. */
function pgError(code: string, message = 'x'): DatabaseError {
  const e = new DatabaseError(message, 0, 'error');
  e.code = code;
  return e;
}
const fromQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);
const socketError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['our connection terminated by an administrator (57P01)', fromQuery(pgError('57P01'))],
    ['the server shutting down (57P02) or starting (57P03)', fromQuery(pgError('57P03'))],
    ['a connection exception (class 08)', fromQuery(pgError('08006'))],
    ['too many connections (53300), while connecting', pgError('53300')],
    ['the database gone (3D000), while connecting', pgError('3D000')],
    ['"not currently accepting connections" (55000) while connecting', pgError('55000')],
    ['the server refusing the socket', socketError('ECONNREFUSED')],
    ['the network timing out', socketError('ETIMEDOUT')],
    [
      'the driver losing the connection mid-query',
      fromQuery(new Error('Connection terminated unexpectedly')),
    ],
    ['the pool timing out', new Error('timeout exceeded when trying to connect')],
  ])('is an outage: %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', fromQuery(pgError('23505'))],
    ['a NOT NULL violation', fromQuery(pgError('23502'))],
    ['55000 raised by a query (e.g. currval before nextval)', fromQuery(pgError('55000'))],
    ['a statement timeout (57014)', fromQuery(pgError('57014'))],
    ['a TypeError', new TypeError("Cannot read properties of null (reading 'map')")],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('is a bug, not an outage: %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
