import { Client } from 'pg';
import type { Grade } from '../../src/enterprises/enterprise.types';
import { NOTICE_TYPE_SQL } from '../../src/orders/order-scope.sql';
import { type NoticeType, noticeTypeFor } from '../../src/orders/order.rules';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Every grade, unprotected (a protected enterprise always gets PROTECTED). A new grade fails to compile here. */
const UNPROTECTED: Record<Grade, NoticeType> = {
  A_PLUS: 'VOLUNTARY',
  A: 'VOLUNTARY',
  LEADING: 'VOLUNTARY',
  B: 'MANDATORY',
  B_MINUS: 'MANDATORY',
  C: 'MANDATORY',
  D: 'MANDATORY',
  NON_LEADING: 'MANDATORY',
  UNGRADED: 'MANDATORY',
};
const CASES = (Object.keys(UNPROTECTED) as Grade[]).flatMap(
  (grade): Array<{ grade: Grade; isProtected: boolean; expected: NoticeType }> => [
    { grade, isProtected: false, expected: UNPROTECTED[grade] },
    { grade, isProtected: true, expected: 'PROTECTED' },
  ],
);

describe('the notice type: the rule and the SQL that writes the orders agree on every grade', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('noticeTypeFor gives each case its notice', () => {
    expect(CASES.map((c) => noticeTypeFor(c.grade, c.isProtected))).toEqual(CASES.map((c) => c.expected));
  });

  it('NOTICE_TYPE_SQL gives each case the same notice', async () => {
    const { rows } = await client.query<{ notice: string }>(
      `SELECT ${NOTICE_TYPE_SQL} AS notice
         FROM unnest($1::text[], $2::boolean[]) WITH ORDINALITY AS s(grade, is_protected, n) ORDER BY s.n`,
      [CASES.map((c) => c.grade), CASES.map((c) => c.isProtected)],
    );
    expect(rows.map((r) => r.notice)).toEqual(CASES.map((c) => c.expected));
  });
});
