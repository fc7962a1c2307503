import type { EnterpriseInput, MeasureInput } from './enterprise.types';
import {
  classifyEnterprise,
  countKinds,
  importDigest,
  importDigester,
  type IncomingEnterprise,
  type StoredEnterprise,
  summariseMeasures,
} from './import-preview.rules';

const input = (over: Partial<EnterpriseInput> = {}): EnterpriseInput => ({
  creditCode: '91141102MA0T000017',
  name: '预览焦化有限公司',
  industry: 'COKING',
  countyCode: '141102',
  address: '离石区测试路1号',
  longitude: 111.14,
  latitude: 37.52,
  grade: 'B',
  protected: false,
  protectedReason: null,
  protectedMaxLoad: null,
  controlTags: [],
  contacts: [{ name: '张三', role: '环保负责人', email: 'zhang@test.example', phone: '13800000000' }],
  lines: [{ code: 'JL1', name: '5.5米焦炉', capacity: 1000000, unit: 't/a' }],
  baseline: { so2: 100, nox: 200, pm: 50, vocs: 40 },
  ...over,
});
const measure = (over: Partial<MeasureInput> = {}): MeasureInput => ({
  level: 'YELLOW',
  line: 'JL1',
  action: 'LIMIT_PERCENT',
  params: { percent: 20 },
  description: '限产20%',
  fromHour: null,
  toHour: null,
  reduction: { so2: 20, nox: 40, pm: 10, vocs: 8 },
  verification: 'POWER_SUBMETER',
  ...over,
});
const stored = (over: Partial<StoredEnterprise> = {}): StoredEnterprise => ({
  id: '00000000-0000-4000-8000-000000000001',
  input: input(),
  archived: false,
  plan: { version: 3, season: '2025-2026', measures: [measure()] },
  ...over,
});
const incoming = (over: Partial<IncomingEnterprise> = {}): IncomingEnterprise => ({
  row: 2,
  input: input(),
  season: '2025-2026',
  measures: [measure()],
  ...over,
});

describe('classifyEnterprise', () => {
  it('calls a credit code not stored "added"', () => {
    expect(classifyEnterprise(incoming(), undefined)).toMatchObject({
      kind: 'added',
      enterpriseChanged: true,
      planChanged: true,
      name: '预览焦化有限公司',
      countyCode: '141102',
      row: 2,
    });
  });

  it('calls a row identical to what is stored "unchanged", whatever the optional fields look like in the file', () => {
    // The file's form: no role key on the contact, an untrimmed name and description, params absent.
    const fromFile = incoming({
      input: input({ name: ' 预览焦化有限公司 ', protectedReason: undefined }),
      measures: [measure({ description: '限产20% ', line: 'JL1' })],
    });
    expect(classifyEnterprise(fromFile, stored())).toMatchObject({
      kind: 'unchanged',
      enterpriseChanged: false,
      planChanged: false,
      changes: [],
      measureChanges: [],
    });
  });

  it('lists changed fields by their Chinese header, old → new, with codes named', () => {
    const row = classifyEnterprise(
      incoming({ input: input({ grade: 'C', industry: 'CEMENT', address: '新地址' }) }),
      stored(),
      { industries: { COKING: '焦化', CEMENT: '水泥' } },
    );
    expect(row).toMatchObject({ kind: 'updated', enterpriseChanged: true, planChanged: false });
    expect(row.changes).toEqual([
      { column: '行业代码', before: '焦化', after: '水泥' },
      { column: '地址', before: '离石区测试路1号', after: '新地址' },
      { column: '绩效等级', before: 'B级', after: 'C级' },
    ]);
  });

  it('says which level’s measures change, and a new season, without touching the enterprise', () => {
    const row = classifyEnterprise(
      incoming({
        season: '2026-2027',
        measures: [measure({ params: { percent: 30 }, description: '限产30%' }), measure({ level: 'RED' })],
      }),
      stored(),
    );
    expect(row).toMatchObject({ kind: 'updated', enterpriseChanged: false, planChanged: true });
    expect(row.changes).toEqual([{ column: '清单年度', before: '2025-2026', after: '2026-2027' }]);
    expect(row.measureChanges).toEqual(['黄色预警措施:新增1条、删除1条', '红色预警措施:新增1条']);
  });

  it('counts an archived enterprise as updated (the import restores it) and one without a plan as a plan change', () => {
    expect(classifyEnterprise(incoming(), stored({ archived: true }))).toMatchObject({
      kind: 'updated',
      enterpriseChanged: true,
      changes: [{ column: '状态', before: '已归档', after: '恢复为在册' }],
    });
    expect(classifyEnterprise(incoming(), stored({ plan: null }))).toMatchObject({
      kind: 'updated',
      planChanged: true,
      enterpriseChanged: false,
    });
    // …unless the file has no measures for it either: nothing to write.
    expect(classifyEnterprise(incoming({ measures: [] }), stored({ plan: null }))).toMatchObject({
      kind: 'unchanged',
      planChanged: false,
    });
  });

  it('shortens long cells', () => {
    const row = classifyEnterprise(incoming({ input: input({ address: '路'.repeat(100) }) }), stored());
    expect(row.changes[0].after).toBe(`${'路'.repeat(60)}…`);
  });
});

describe('summariseMeasures', () => {
  it('reports a reordering of the same measures', () => {
    const a = measure();
    const b = measure({ line: 'JL2', description: '二号线限产' });
    expect(summariseMeasures([a, b], [b, a])).toEqual(['黄色预警措施:顺序调整']);
    expect(summariseMeasures([a, b], [a, b])).toEqual([]);
  });
});

describe('countKinds', () => {
  it('counts each kind', () => {
    const rows = [
      classifyEnterprise(incoming(), undefined),
      classifyEnterprise(incoming(), stored()),
      classifyEnterprise(incoming({ input: input({ grade: 'A' }) }), stored()),
      classifyEnterprise(incoming(), stored()),
    ];
    expect(countKinds(rows)).toEqual({ added: 1, updated: 1, unchanged: 2 });
  });
});

describe('importDigest', () => {
  const items = [{ creditCode: '91141102MA0T000017', stored: stored() }];
  const digest = importDigest('a'.repeat(64), items, []);

  it('is the same for the same file against the same stored state', () => {
    expect(importDigest('a'.repeat(64), [{ creditCode: '91141102MA0T000017', stored: stored() }], [])).toBe(
      digest,
    );
  });

  it.each([
    ['another file', () => importDigest('b'.repeat(64), items, [])],
    [
      'an edited enterprise',
      () =>
        importDigest(
          'a'.repeat(64),
          [{ ...items[0], stored: stored({ input: input({ name: '改名' }) }) }],
          [],
        ),
    ],
    [
      'a new plan version with the same measures',
      () =>
        importDigest(
          'a'.repeat(64),
          [
            {
              ...items[0],
              stored: stored({ plan: { version: 4, season: '2025-2026', measures: [measure()] } }),
            },
          ],
          [],
        ),
    ],
    [
      'the enterprise created meanwhile',
      () => importDigest('a'.repeat(64), [{ ...items[0], stored: undefined }], []),
    ],
    ['another warning', () => importDigest('a'.repeat(64), items, [{ message: '第2行 提示' }])],
  ])('changes with %s', (_case, other) => {
    expect(other()).not.toBe(digest);
  });
});

describe('importDigester', () => {
  const items = ['91141102MA0T000017', '91141102MA0T000025', '91141102MA0T000033'].map((creditCode, i) => ({
    creditCode,
    stored: i === 1 ? undefined : stored({ id: `id-${i}` }),
  }));
  const warnings = [{ message: '第3行 提示' }];

  it('gives importDigest of the whole file when the enterprises come a chunk at a time', () => {
    const chunked = importDigester('a'.repeat(64));
    chunked.add(items.slice(0, 2));
    chunked.add([]);
    chunked.add(items.slice(2));
    expect(chunked.digest(warnings)).toBe(importDigest('a'.repeat(64), items, warnings));
  });

  it('depends on the order of the chunks (file order)', () => {
    const swapped = importDigester('a'.repeat(64));
    swapped.add(items.slice(2));
    swapped.add(items.slice(0, 2));
    expect(swapped.digest(warnings)).not.toBe(importDigest('a'.repeat(64), items, warnings));
  });
});
