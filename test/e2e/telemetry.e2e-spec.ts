import ExcelJS from 'exceljs';
import { enterpriseInput } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/** Issue 17, telemetry in: points, sources with keys, readings by push and by file, stored by month. */
describe('telemetry in: metering points, source keys, readings by API and file', () => {
  let t: TestApp;
  let admin: Agent;
  /** An enterprise in 孝义市 (141181) with a line point and an outlet point, one in 离石区 (141102). */
  let xiaoyi: { id: string; creditCode: string };
  let lishi: { id: string; creditCode: string };
  let countyKey: string;
  let countySourceId: string;

  const push = (key: string, readings: unknown[]) =>
    t.http().post('/api/telemetry/readings').set('Authorization', `Bearer ${key}`).send({ readings });

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-28T10:00:00+08:00');
    admin = await t.signIn(['ADMIN']);
    for (const [countyCode, set] of [
      ['141181', (e: { id: string; creditCode: string }) => (xiaoyi = e)],
      ['141102', (e: { id: string; creditCode: string }) => (lishi = e)],
    ] as const) {
      const input = enterpriseInput({ countyCode });
      const { body } = await admin.post('/api/enterprises').send(input).expect(201);
      set({ id: body.id, creditCode: input.creditCode });
      await admin
        .put(`/api/enterprises/${body.id}/metering-points`)
        .send({
          points: [
            { kind: 'LINE_POWER', code: 'JL1', name: '1号焦炉总表', normalPowerKw: 1200 },
            { kind: 'OUTLET_CEMS', code: 'DA001', limits: { so2: 30, nox: 150, pm: 10 } },
          ],
        })
        .expect(200);
    }
    const { body } = await admin
      .post('/api/telemetry/sources')
      .send({ name: '孝义市分表计电平台', countyCode: '141181' })
      .expect(201);
    countyKey = body.key;
    countySourceId = body.id;
  });
  afterAll(() => t.close());

  describe('metering points', () => {
    it('keeps the points with their normal power and limits, and lists them', async () => {
      const { body } = await admin.get(`/api/enterprises/${xiaoyi.id}/metering-points`).expect(200);
      expect(body).toEqual([
        expect.objectContaining({ kind: 'LINE_POWER', code: 'JL1', normalPowerKw: 1200 }),
        expect.objectContaining({
          kind: 'OUTLET_CEMS',
          code: 'DA001',
          limits: { so2: 30, nox: 150, pm: 10, vocs: null },
        }),
      ]);
    });

    it('refuses a line the enterprise does not have, a line without power and an outlet without limits', async () => {
      const res = await admin
        .put(`/api/enterprises/${xiaoyi.id}/metering-points`)
        .send({
          points: [
            { kind: 'LINE_POWER', code: 'JL9', normalPowerKw: 100 },
            { kind: 'LINE_POWER', code: 'JL1' },
            { kind: 'OUTLET_CEMS', code: 'DA002' },
          ],
        })
        .expect(422);
      expect(res.body.error.fields).toEqual([
        { field: 'points[0].code', message: '企业没有编码为“JL9”的生产线' },
        { field: 'points[1].normalPowerKw', message: '生产线须填写正常生产时的功率(kW,大于0)' },
        { field: 'points[2].limits', message: '排口须至少填写一项污染物限值(mg/m³)' },
      ]);
    });
  });

  describe('sources and keys', () => {
    it('shows the key once: the list has only its prefix, and the log records the creation', async () => {
      expect(countyKey).toMatch(/^hzt_[A-Za-z0-9_-]{43}$/);
      const { body } = await admin.get('/api/telemetry/sources').expect(200);
      const listed = body.find((s: { id: string }) => s.id === countySourceId);
      expect(listed).toEqual(
        expect.objectContaining({ countyCode: '141181', keyPrefix: countyKey.slice(0, 12) }),
      );
      expect(JSON.stringify(body)).not.toContain(countyKey);
      const [stored] = await t.dataSource.query(`SELECT key_hash FROM telemetry_source WHERE id = $1`, [
        countySourceId,
      ]);
      expect(stored.key_hash).not.toContain(countyKey.slice(4));
      const audit = await t.dataSource.query(
        `SELECT action FROM audit_entry WHERE subject_id = $1 AND action = 'telemetry.source.created'`,
        [countySourceId],
      );
      expect(audit).toHaveLength(1);
    });

    it('refuses a push without a key, with a session instead of a key, and with a revoked key (401)', async () => {
      const reading = {
        point: `${xiaoyi.creditCode}/JL1`,
        metric: 'POWER_KW',
        at: '2026-11-28T09:00:00+08:00',
        value: 1,
      };
      await t
        .http()
        .post('/api/telemetry/readings')
        .send({ readings: [reading] })
        .expect(401);
      const signedIn = await admin
        .post('/api/telemetry/readings')
        .send({ readings: [reading] })
        .expect(401);
      expect(signedIn.body.error.code).toBe('API_KEY_INVALID');

      const { body: source } = await admin
        .post('/api/telemetry/sources')
        .send({ name: '待吊销', enterpriseId: xiaoyi.id })
        .expect(201);
      await push(source.key, [reading]).expect(200);
      await admin.post(`/api/telemetry/sources/${source.id}/revoke`).expect(200);
      const revoked = await push(source.key, [reading]).expect(401);
      expect(revoked.body.error.code).toBe('API_KEY_INVALID');
      await admin.post(`/api/telemetry/sources/${source.id}/revoke`).expect(409);
    });
  });

  describe('push API', () => {
    it('keeps the good readings once, and answers the bad ones by index and reason', async () => {
      const at = (h: number) => `2026-11-28T0${h}:00:00+08:00`;
      const good = [
        { point: `${xiaoyi.creditCode}/JL1`, metric: 'POWER_KW', at: at(1), value: 1180.5 },
        { point: `${xiaoyi.creditCode}/DA001`, metric: 'SO2', at: at(1), value: 12.3 },
      ];
      const first = await push(countyKey, [
        ...good,
        { point: `${lishi.creditCode}/JL1`, metric: 'POWER_KW', at: at(1), value: 900 },
        { point: `${xiaoyi.creditCode}/JL7`, metric: 'POWER_KW', at: at(1), value: 900 },
        { point: `${xiaoyi.creditCode}/JL1`, metric: 'CO2', at: at(1), value: 1 },
        { point: `${xiaoyi.creditCode}/JL1`, metric: 'POWER_KW', at: '2026-11-28T02:00:00', value: 1 },
        { point: `${xiaoyi.creditCode}/JL1`, metric: 'POWER_KW', at: at(3), value: -1 },
        { point: `${xiaoyi.creditCode}/JL1`, metric: 'POWER_KW', at: at(4), value: 'NaN' },
        { point: `${xiaoyi.creditCode}/DA001`, metric: 'POWER_KW', at: at(1), value: 5 },
      ]).expect(200);
      expect(first.body.accepted).toBe(2);
      expect(first.body.duplicates).toBe(0);
      expect(
        first.body.rejected.map((r: { index: number; field: string; reason: string }) => [
          r.index,
          r.field,
          r.reason,
        ]),
      ).toEqual([
        [2, 'point', '计量点不在本数据源的范围内'],
        [3, 'point', '计量点不存在'],
        [4, 'metric', '指标应为 POWER_KW、SO2、NOX、PM、VOCS 之一'],
        [5, 'at', expect.stringContaining('需带时区')],
        [6, 'value', '数值不能为负'],
        [7, 'value', '数值应为有限的数字'],
        [8, 'point', '排口计量点只接收 SO2、NOX、PM、VOCS'],
      ]);

      // The same readings again, one of them twice in the batch: nothing new is kept.
      const again = await push(countyKey, [...good, good[0]]).expect(200);
      expect(again.body).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
      const rows = await t.dataSource.query(
        `SELECT metric, value::float AS value FROM meter_reading WHERE source_id = $1 ORDER BY metric`,
        [countySourceId],
      );
      expect(rows).toEqual([
        { metric: 'POWER_KW', value: 1180.5 },
        { metric: 'SO2', value: 12.3 },
      ]);
    });

    it('refuses more than 10,000 readings in one request', async () => {
      const reading = {
        point: `${xiaoyi.creditCode}/JL1`,
        metric: 'POWER_KW',
        at: '2026-11-28T09:00:00+08:00',
        value: 1,
      };
      const res = await push(
        countyKey,
        Array.from({ length: 10_001 }, () => reading),
      ).expect(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('file upload', () => {
    const csv = (lines: string[]) =>
      Buffer.from(`\uFEFF信用代码,计量点,指标,时间,数值\n${lines.join('\n')}\n`, 'utf8');

    it('keeps the good rows of a CSV and refuses the bad ones as 第N行 列名:原因', async () => {
      const c = () => xiaoyi.creditCode;
      const res = await t
        .http()
        .post('/api/telemetry/readings/import')
        .set('Authorization', `Bearer ${countyKey}`)
        .set('X-Requested-With', 'XMLHttpRequest')
        .attach(
          'file',
          csv([
            `${c()},JL1,POWER_KW,2026-11-27 10:00:00+08:00,1100`,
            `${c()},JL1,有功功率,2026-11-27T10:15:00+08:00,1101`,
            `${c()},DA001,NOX,2026-11-27T10:00:00+08:00,`,
            `${lishi.creditCode},DA001,NOX,2026-11-27T10:00:00+08:00,40`,
            `12345,JL1,POWER_KW,2026-11-27T10:00:00+08:00,1`,
            `${c()},JL1,POWER_KW,2026-11-27T10:00:00+08:00,1100`,
          ]),
          'readings.csv',
        )
        .expect(200);
      expect(res.body).toEqual(
        expect.objectContaining({ rows: 6, accepted: 2, duplicates: 1, rejectedCount: 3 }),
      );
      expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual([
        '第4行 数值：数值不能为空',
        '第5行 计量点：计量点不在本数据源的范围内',
        '第6行 信用代码：统一社会信用代码应为18位',
      ]);
    });

    it('writes a file larger than one chunk whole, with a bad row in a later chunk and a duplicate across chunks', async () => {
      const start = Date.parse('2026-11-28T00:00:00+08:00');
      const lines = Array.from(
        { length: 20_000 },
        (_, i) => `${xiaoyi.creditCode},DA001,PM,${new Date(start - i * 60_000).toISOString()},${i % 97}`,
      );
      lines.splice(15_000, 0, `${xiaoyi.creditCode},DA404,PM,2026-11-27T10:00:00+08:00,1`);
      lines.push(lines[0]);
      const res = await t
        .http()
        .post('/api/telemetry/readings/import')
        .set('Authorization', `Bearer ${countyKey}`)
        .set('X-Requested-With', 'XMLHttpRequest')
        .attach('file', csv(lines), 'month.csv')
        .expect(200);
      expect(res.body).toEqual({
        rows: 20_002,
        accepted: 20_000,
        duplicates: 1,
        rejectedCount: 1,
        errors: [expect.objectContaining({ row: 15_002, message: '第15002行 计量点：计量点不存在' })],
      });
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM meter_reading WHERE source_id = $1 AND metric = 'PM'`,
        [countySourceId],
      );
      expect(n).toBe(20_000);
    });

    /** A readings sheet uploaded by the administrator for a new source named `name`: the answer and the source. */
    async function adminXlsx(name: string, fill: (ws: ExcelJS.Worksheet) => void) {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('读数');
      ws.addRow(['信用代码', '计量点', '指标', '时间', '数值']);
      fill(ws);
      const buffer = Buffer.from(await wb.xlsx.writeBuffer());
      const { body: source } = await admin
        .post('/api/telemetry/sources')
        .send({ name, countyCode: '141102' })
        .expect(201);
      const res = await admin
        .post('/api/telemetry/readings/import')
        .set('X-Requested-With', 'XMLHttpRequest')
        .field('sourceId', source.id)
        .attach('file', buffer, 'readings.xlsx')
        .expect(200);
      return { body: res.body, source };
    }

    it('takes an XLSX from an administrator on behalf of a source, audited', async () => {
      const { body, source } = await adminXlsx('离石区在线监测', (ws) => {
        ws.addRow([lishi.creditCode, 'DA001', 'PM', '2026-11-27T11:00:00+08:00', '4.5']);
        ws.addRow([lishi.creditCode, 'DA001', 'PM', '2026-11-27T11:15:00', '4.5']);
      });
      expect(body).toEqual(
        expect.objectContaining({ rows: 2, accepted: 1, duplicates: 0, rejectedCount: 1 }),
      );
      expect(body.errors[0].message).toMatch(/^第3行 时间：时间需带时区/);
      const audit = await t.dataSource.query(
        `SELECT data FROM audit_entry WHERE subject_id = $1 AND action = 'telemetry.readings.imported'`,
        [source.id],
      );
      expect(audit).toEqual([{ data: expect.objectContaining({ accepted: 1, rejected: 1 }) }]);
    });

    it('reads a date-formatted 时间 cell as the Beijing time it shows, not as its serial number', async () => {
      const { body, source } = await adminXlsx('离石区在线监测(表格日期)', (ws) => {
        // exceljs stores a Date as the serial of its UTC fields: the cell shows 2026-11-27 09:45:00.
        const row = ws.addRow([
          lishi.creditCode,
          'DA001',
          'PM',
          new Date(Date.UTC(2026, 10, 27, 9, 45)),
          3.25,
        ]);
        row.getCell(4).numFmt = 'yyyy-mm-dd hh:mm:ss';
      });
      expect(body).toEqual(expect.objectContaining({ rows: 1, accepted: 1, rejectedCount: 0 }));
      const stored = await t.dataSource.query(
        `SELECT measured_at, value::float AS value FROM meter_reading WHERE source_id = $1`,
        [source.id],
      );
      expect(stored).toEqual([{ measured_at: new Date('2026-11-27T01:45:00Z'), value: 3.25 }]);
    });

    it('refuses a non-administrator without a key (403) and anyone without either (401)', async () => {
      const duty = await t.signIn(['DUTY_OFFICER']);
      const file = csv([]);
      await duty
        .post('/api/telemetry/readings/import')
        .set('X-Requested-With', 'XMLHttpRequest')
        .attach('file', file, 'r.csv')
        .expect(403);
      await t
        .http()
        .post('/api/telemetry/readings/import')
        .set('X-Requested-With', 'XMLHttpRequest')
        .attach('file', file, 'r.csv')
        .expect(401);
    });
  });

  describe('partitions', () => {
    it('stores readings by month, creating a month on demand, and a warning’s query reads only its months', async () => {
      const { body: source } = await admin
        .post('/api/telemetry/sources')
        .send({ name: '孝义某企业自建平台', enterpriseId: xiaoyi.id })
        .expect(201);
      // 2025-11 is 13 months back: outside the window the migration made, so the ingest has to create it.
      const readings = [
        '2025-11-20T10:00:00+08:00',
        '2026-10-31T23:45:00+08:00',
        '2026-11-01T00:00:00+08:00',
        '2026-11-15T08:00:00+08:00',
        '2026-12-01T00:00:00+08:00',
      ].map((at) => ({
        point: `${xiaoyi.creditCode}/JL1`,
        metric: 'POWER_KW',
        at,
        value: 100,
      }));
      t.clock.set('2026-12-01T01:00:00+08:00');
      const res = await push(source.key, readings).expect(200);
      expect(res.body).toEqual({ accepted: 5, duplicates: 0, rejected: [] });

      const placed = await t.dataSource.query(
        `SELECT tableoid::regclass::text AS part, to_char(measured_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS at
           FROM meter_reading WHERE source_id = $1 ORDER BY measured_at`,
        [source.id],
      );
      expect(placed).toEqual([
        { part: 'meter_reading_202511', at: '2025-11-20 10:00' },
        { part: 'meter_reading_202610', at: '2026-10-31 23:45' },
        { part: 'meter_reading_202611', at: '2026-11-01 00:00' },
        { part: 'meter_reading_202611', at: '2026-11-15 08:00' },
        { part: 'meter_reading_202612', at: '2026-12-01 00:00' },
      ]);

      const [{ id: pointId }] = await t.dataSource.query(
        `SELECT id FROM metering_point WHERE enterprise_id = $1 AND code = 'JL1'`,
        [xiaoyi.id],
      );
      const scanned = async (from: string, to: string) => {
        const plan = await t.dataSource.query(
          `EXPLAIN (FORMAT JSON)
           SELECT point_id, metric, date_trunc('hour', measured_at) AS hour, avg(value)
             FROM meter_reading
            WHERE point_id = ANY('{${pointId}}'::uuid[]) AND measured_at >= '${from}' AND measured_at < '${to}'
            GROUP BY 1, 2, 3`,
        );
        const names = new Set<string>();
        const walk = (node: Record<string, unknown>) => {
          if (typeof node['Relation Name'] === 'string') names.add(node['Relation Name']);
          for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
        };
        walk(plan[0]['QUERY PLAN'][0].Plan);
        return [...names].sort();
      };
      // A warning inside November reads November only; one across the month's end reads both months.
      expect(await scanned('2026-11-10T00:00:00+08:00', '2026-11-13T00:00:00+08:00')).toEqual([
        'meter_reading_202611',
      ]);
      expect(await scanned('2026-11-29T20:00:00+08:00', '2026-12-02T00:00:00+08:00')).toEqual([
        'meter_reading_202611',
        'meter_reading_202612',
      ]);
    });
  });
});
