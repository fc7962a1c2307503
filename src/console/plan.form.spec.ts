import type { MeasureInput } from '../enterprises/enterprise.types';
import {
  editorRows,
  mergeErrors,
  placeError,
  planFromForm,
  planFromRows,
  rowFromMeasure,
  rowsFromBody,
} from './plan.form';

const stored: MeasureInput = {
  level: 'RED',
  line: '1#焦炉',
  action: 'STOP_SHARE',
  params: { share: 60, unit: '炭化室', permitNo: 'X-1' },
  description: '停止装煤60%炭化室',
  fromHour: 0,
  toHour: 120,
  reduction: { so2: 12.5, nox: 3, pm: 0, vocs: 0.25 },
  verification: 'DCS',
};

describe('plan editor form', () => {
  it('reads only the inputs the action needs, skipping blank and removed rows', () => {
    const { plain, rowOf, errors } = planFromForm(
      {
        'm.0.level': 'ORANGE',
        'm.0.line': '1#烧结机',
        'm.0.action': 'LIMIT_PERCENT',
        'm.0.p.percent': '30',
        // Left over from another action: not needed by LIMIT_PERCENT, ignored.
        'm.0.p.hours': '36',
        'm.0.p.so2': '5',
        'm.0.description': '限产30%',
        'm.0.so2': '12.5',
        'm.0.nox': '3',
        'm.0.verification': 'POWER_SUBMETER',
        'm.1.level': 'RED',
        'm.1.action': 'STOP',
        'm.1.description': '停产',
        'm.1.remove': '1',
        'm.2.level': 'RED',
        'm.3.level': 'RED',
        'm.3.action': 'CONCENTRATION_CAP',
        'm.3.p.pm': '10',
        'm.3.p.so2': '20',
        'm.3.p.percent': '50',
        'm.3.description': '颗粒物、SO₂限值',
        'm.3.fromHour': '24',
        'm.3.verification': 'CEMS',
      },
      5,
    );
    expect(errors).toEqual([]);
    expect(rowOf).toEqual([0, 3]);
    expect(plain.measures).toEqual([
      {
        level: 'ORANGE',
        line: '1#烧结机',
        action: 'LIMIT_PERCENT',
        params: { percent: 30 },
        description: '限产30%',
        fromHour: null,
        toHour: null,
        reduction: { so2: 12.5, nox: 3, pm: 0, vocs: 0 },
        verification: 'POWER_SUBMETER',
      },
      {
        level: 'RED',
        line: null,
        action: 'CONCENTRATION_CAP',
        params: { so2: 20, pm: 10 },
        description: '颗粒物、SO₂限值',
        fromHour: 24,
        toHour: null,
        reduction: { so2: 0, nox: 0, pm: 0, vocs: 0 },
        verification: 'CEMS',
      },
    ]);
  });

  it('gives back a stored measure unchanged through the editor, parameters it has no input for included', () => {
    const row = rowFromMeasure(stored);
    expect(row).toMatchObject({
      params: { share: '60', unit: '炭化室' },
      extra: '{"permitNo":"X-1"}',
      fromHour: '0',
      toHour: '120',
      reduction: { so2: '12.5', nox: '3', pm: '0', vocs: '0.25' },
    });
    // As the page posts it back: every input of the row under m.0.
    const body: Record<string, string> = {
      'm.0.level': row.level,
      'm.0.line': row.line,
      'm.0.action': row.action,
      'm.0.extra': row.extra,
      'm.0.description': row.description,
      'm.0.fromHour': row.fromHour,
      'm.0.toHour': row.toHour,
      'm.0.verification': row.verification,
    };
    for (const [k, v] of Object.entries(row.params)) body[`m.0.p.${k}`] = v;
    for (const [k, v] of Object.entries(row.reduction)) body[`m.0.${k}`] = v;
    const { plain, errors } = planFromForm(body, 1);
    expect(errors).toEqual([]);
    expect(plain.measures).toEqual([stored]);
  });

  it('finds every bad input at once, with a stand-in so the plan checks still run', () => {
    const rows = rowsFromBody(
      {
        'm.0.level': 'YELLOW',
        'm.0.action': 'LIMIT_PERCENT',
        'm.0.description': '限产',
        'm.0.so2': 'lots',
        'm.0.toHour': '1.5',
        'm.0.verification': 'CEMS',
        'm.1.level': 'ORANGE',
        'm.1.action': 'FEED_CAP',
        'm.1.p.tonsPerDay': '三百',
        'm.1.description': '限制投料',
        'm.1.verification': 'DCS',
      },
      2,
    );
    const { plain, errors } = planFromRows(rows);
    expect(errors.map((e) => e.field)).toEqual([
      'measures[0].params.percent',
      'measures[0].reduction.so2',
      'measures[0].toHour',
      'measures[1].params.tonsPerDay',
    ]);
    expect(errors[0].message).toBe('请填写');
    expect(plain.measures[0]).toMatchObject({ params: {}, reduction: { so2: 0 }, toHour: null });
    expect(plain.measures[1]).toMatchObject({ params: { tonsPerDay: 0 } });
  });

  it('keeps the form’s own error for a field and adds the plan checks’ errors for the others', () => {
    expect(
      mergeErrors(
        [{ field: 'measures[0].params.percent', message: '请填写' }],
        [
          { field: 'measures[0].params.percent', message: '限产需要数值参数 percent' },
          { field: 'measures[1].description', message: '措施描述不能为空' },
        ],
      ),
    ).toEqual([
      { field: 'measures[0].params.percent', message: '请填写' },
      { field: 'measures[1].description', message: '措施描述不能为空' },
    ]);
  });

  it('says in Chinese which measure and which input an error is about', () => {
    expect(
      placeError({ field: 'measures[1].params.percent', message: '限产比例(%)应在0-100之间,实际为120' }),
    ).toEqual({
      measure: 1,
      input: 'p.percent',
      message: '限产比例(%)应在0-100之间,实际为120',
      text: '第2条措施 限产比例：限产比例(%)应在0-100之间,实际为120',
    });
    expect(placeError({ field: 'measures[0].reduction.so2', message: 'so2 减排量不能为负数' })).toMatchObject(
      {
        input: 'so2',
        text: '第1条措施 SO₂减排量：SO₂ 减排量不能为负数',
      },
    );
    expect(
      placeError({
        field: 'measures(ORANGE).reduction.nox',
        message: 'ORANGE级措施 nox 减排合计 300 超过企业基准排放 200 kg/d',
      }).text,
    ).toBe('橙色预警 NOₓ减排合计：橙色级措施 NOₓ 减排合计 300 超过企业基准排放 200 kg/d');
  });

  it('offers the levels of the ruleset in force, keeping a row’s own level it lacks, and marks each input in error', () => {
    const [row] = editorRows(
      [rowFromMeasure({ ...stored, level: 'BLUE' })],
      ['YELLOW', 'ORANGE', 'RED'],
      [placeError({ field: 'measures[0].params.share', message: '停产比例(%)应在0-100之间,实际为160' })],
    );
    expect(row.levels.map((l) => [l.code, l.selected])).toEqual([
      ['YELLOW', false],
      ['ORANGE', false],
      ['RED', false],
      ['BLUE', true],
    ]);
    expect(row.levels[3].name).toBe('蓝色预警(现行规则集无此级别)');
    expect(row.params.find((p) => p.key === 'share')).toMatchObject({
      value: '60',
      error: '停产比例(%)应在0-100之间,实际为160',
      forActions: 'STOP_SHARE',
    });
    expect(row.params.find((p) => p.key === 'percent')).toMatchObject({ value: '', error: null });
    expect(row.hasError).toBe(true);
  });
});
