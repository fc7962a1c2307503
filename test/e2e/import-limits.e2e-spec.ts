import type { EnterpriseInput, MeasureInput } from '../../src/enterprises/enterprise.types';
import { RawRow, toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { formToken } from '../support/console-forms';
import { createTestApp, TestApp } from '../support/test-app';
import { sharedStringsBomb } from '../support/xlsx-bomb';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const MB = 1024 * 1024;

function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

const sheet = (items: Array<{ input: EnterpriseInput; measures: MeasureInput[] }>): RawRow[] =>
  items.flatMap((i) => toRows(i.input, '2025-2026', i.measures));

/** Import memory bounds, the API's limits on imported rows, exact round trips and addresses (issue 12). */
describe('reduction list import: limits, round trip, addresses', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp({ env: { IMPORT_MAX_MB: '5', IMPORT_MAX_ROWS: '5000' } });
    admin = await t.signIn(['ADMIN']);
  });
  afterAll(() => t.close());

  // Multipart uploads in one place, so a header the API may come to require is added once.
  const upload = (buffer: Buffer, name: string) =>
    admin
      .post('/api/enterprises/import')
      .set('X-Requested-With', 'XMLHttpRequest')
      .attach('file', buffer, name);
  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*) FROM enterprise)::int AS enterprises, (SELECT count(*) FROM plan_version)::int AS versions,
                (SELECT count(*) FROM audit_entry)::int AS audit, (SELECT count(*) FROM enterprise_import)::int AS imports`,
      )
    )[0] as Record<string, number>;

  describe('A: an XLSX zip bomb', () => {
    it('is refused with 413 naming the shared-strings limit, before inflating its 300 MB', async () => {
      const bomb = await sharedStringsBomb(300);
      expect(bomb.length).toBeLessThan(MB);
      const before = await counts();
      const res = await upload(bomb, 'bomb.xlsx').expect(413);
      expect(res.body.error).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringMatching(
          /^共享字符串表\(xl\/sharedStrings.xml\)声明解压后为 300(\.\d)? MB,超过 5 MB 的上限$/,
        ),
      });
      expect(await counts()).toEqual(before);
    });

    it('is refused when it lies about its size, having inflated no more than it declared', async () => {
      const before = await counts();
      const res = await upload(await sharedStringsBomb(300, 4 * MB), 'lying.xlsx').expect(400);
      expect(res.body.error.message).toContain('解压后的大小与文件声明的不符');
      expect(await counts()).toEqual(before);
    });
  });

  describe('B: the API limits apply to imported rows', () => {
    it('refuses a 2 MB description and 3,000 contacts, naming row and column, and writes nothing', async () => {
      const contacts = Array.from({ length: 3000 }, (_, i) => ({ name: `联系人${i}`, email: `c${i}@x.cn` }));
      const csv = await toBuffer(
        'csv',
        sheet([
          { input: enterpriseInput(), measures: [measure({ description: 'x'.repeat(2 * MB) })] },
          { input: enterpriseInput({ contacts }), measures: [measure()] },
          { input: enterpriseInput(), measures: [measure()] },
        ]),
      );
      const before = await counts();
      const res = await upload(csv, 'limits.csv').expect(422);
      expect(res.body.errors).toEqual([
        {
          row: 2,
          field: 'description',
          column: '措施描述',
          message: '第2行 措施描述:措施描述不能超过1000个字符(实际2097152个)',
        },
        { row: 3, field: 'contacts', column: '联系人', message: '第3行 联系人:联系人最多20个,实际3000个' },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('shows the same errors on the console import page', async () => {
      const csv = await toBuffer(
        'csv',
        sheet([{ input: enterpriseInput(), measures: [measure({ description: '限'.repeat(1001) })] }]),
      );
      const token = await formToken(admin, '/enterprises/import');
      const res = await admin
        .post(`/enterprises/import?_csrf=${encodeURIComponent(token)}`)
        .attach('file', csv, 'limits.csv')
        .expect(422);
      expect(res.text).toContain('第2行 措施描述:措施描述不能超过1000个字符(实际1001个)');
    });
  });

  describe('C: export → import is exact', () => {
    it('keeps |, ;, ;, commas, quotes, backslashes and CRLF in every text field (CSV and XLSX)', async () => {
      const odd = (s: string) => `${s}|竖线;分号;全角,逗号"引号'撇号\\反斜杠\r\n第二行=等号:冒号`;
      const input = enterpriseInput({
        name: odd('企业'),
        address: odd('地址'),
        contacts: [
          { name: odd('张三'), role: odd('职务'), email: "a|b=c'd@x.cn", phone: '138|0000;0000' },
          { name: '=李四', email: 'li@x.cn' },
        ],
        lines: [{ code: 'J;L|1', name: odd('焦炉'), capacity: 1.5e6, unit: 't|a;' }],
      });
      const { body: created } = await admin.post('/api/enterprises').send(input).expect(201);
      await admin
        .put(`/api/enterprises/${created.id}/plan`)
        .send({
          season: '2025-2026',
          measures: [
            measure({
              line: 'J;L|1',
              params: { percent: 20, unit: '20', note: odd('参数'), 'k=y;z': ' 两端空格 ' },
              description: `-${odd('措施')}`,
            }),
          ],
        })
        .expect(200);
      const read = async () => {
        const { body: e } = await admin.get(`/api/enterprises/${created.id}`).expect(200);
        const { body: p } = await admin.get(`/api/enterprises/${created.id}/plan`).expect(200);
        const { updatedAt: _u, ...enterprise } = e as Record<string, unknown>;
        const { version: _v, createdAt: _c, ...plan } = p as Record<string, unknown>;
        return { enterprise, plan };
      };
      const before = await read();
      expect(before.enterprise.name).toBe(input.name);
      for (const format of ['csv', 'xlsx'] as const) {
        const exported = await admin
          .get(`/api/enterprises/export?format=${format}`)
          .buffer(true)
          .parse(binary)
          .expect(200);
        await upload(exported.body as Buffer, `export.${format}`).expect(200);
        expect(await read()).toEqual(before);
      }
    });
  });

  describe('D: addresses a mail server would refuse', () => {
    it.each(['"a\r\nb"@x.cn', '"a,b"@x.cn', '"<a>"@x.cn', 'a..b@x.cn', 'a@-x.cn', `${'a'.repeat(65)}@x.cn`])(
      'the API refuses %j with 422 naming the field',
      async (email) => {
        const res = await admin
          .post('/api/enterprises')
          .send(enterpriseInput({ contacts: [{ name: '张三', email }] }))
          .expect(422);
        expect(res.body.error.fields).toEqual(
          expect.arrayContaining([
            { field: 'contacts[0].email', message: expect.stringMatching(/电子邮箱/) },
          ]),
        );
      },
    );

    it('the import refuses one, naming row and contact', async () => {
      const csv = await toBuffer(
        'csv',
        sheet([
          { input: enterpriseInput({ contacts: [{ name: '张三', email: '"a,b"@x.cn' }] }), measures: [] },
        ]),
      );
      const res = await upload(csv, 'email.csv').expect(422);
      expect(res.body.errors[0]).toMatchObject({
        row: 2,
        field: 'contacts',
        column: '联系人邮箱(第1个)',
        message: expect.stringMatching(
          /^第2行 联系人邮箱\(第1个\):联系人邮箱 "\\"a,b\\"@x.cn" 无效:电子邮箱 @ 前不能使用引号/,
        ),
      });
    });
  });
});
