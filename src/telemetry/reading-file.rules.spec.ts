import { fileHeaderProblems, fileRowCheck, rowMessage } from './reading-file.rules';

const NOW = new Date('2026-11-28T10:00:00+08:00');
const CODE = '91141181MA0T00001X';

describe('readings file rules', () => {
  const { columns } = fileHeaderProblems(['\uFEFF信用代码', '计量点', '指标', '时间', '数值', '备注']);

  it('maps the Chinese header (and ignores columns it does not read), naming missing and repeated ones', () => {
    expect(columns).toEqual(['creditCode', 'point', 'metric', 'at', 'value', null]);
    expect(fileHeaderProblems(['信用代码', '计量点', '计量点', '时间']).problems).toEqual([
      '列“计量点”重复',
      '缺少列“指标”',
      '缺少列“数值”',
    ]);
  });

  it('takes a spreadsheet time with a space for the T and a Chinese metric name', () => {
    const r = fileRowCheck(columns, [CODE, 'JL1', '有功功率', '2026-11-28 09:00:00+08:00', '1100', ''], NOW);
    expect(r).toEqual(
      expect.objectContaining({
        ok: true,
        reading: expect.objectContaining({ metric: 'POWER_KW', value: 1100 }),
      }),
    );
  });

  it('puts each problem in its column', () => {
    const columnOf = (cells: string[]) => {
      const r = fileRowCheck(columns, cells, NOW);
      return r.ok ? null : r.column;
    };
    expect(columnOf(['1', 'JL1', 'SO2', '2026-11-28T01:00:00Z', '1'])).toBe('creditCode');
    expect(columnOf([CODE, '', 'SO2', '2026-11-28T01:00:00Z', '1'])).toBe('point');
    expect(columnOf([CODE, 'DA1', 'CO', '2026-11-28T01:00:00Z', '1'])).toBe('metric');
    expect(columnOf([CODE, 'DA1', 'SO2', '2026-11-28 09:00', '1'])).toBe('at');
    expect(columnOf([CODE, 'DA1', 'SO2', '2026-11-28T01:00:00Z', ''])).toBe('value');
    expect(columnOf([CODE, 'DA1', 'SO2', '2026-11-28T01:00:00Z', 'abc'])).toBe('value');
  });

  it('writes a refusal as 第N行 列名:原因', () => {
    expect(rowMessage(7, 'at', '时间晚于当前时间')).toBe('第7行 时间：时间晚于当前时间');
  });
});
