import type { EnterpriseInput } from './enterprise.types';
import { validateEnterpriseInput } from './enterprise.rules';

const refs = { counties: new Set(['141102']), industries: new Set(['COKING']) };
const valid: EnterpriseInput = {
  creditCode: '91110000802100433B',
  name: '山西福裕焦化有限公司',
  industry: 'COKING',
  countyCode: '141102',
  grade: 'B',
  protected: false,
  controlTags: ['NO_DRY_QUENCHING'],
  contacts: [{ name: '张三', role: '环保负责人', email: 'zhang@example.cn', phone: '13800000000' }],
  lines: [{ code: 'JL1', name: '4.3米焦炉', capacity: 600000, unit: 't/a' }],
  baseline: { so2: 100, nox: 200, pm: 50, vocs: 10 },
};

describe('validateEnterpriseInput', () => {
  it('accepts a valid enterprise', () => {
    expect(validateEnterpriseInput(valid, refs)).toEqual([]);
  });

  it.each<[Partial<EnterpriseInput>, string]>([
    [{ creditCode: '91110000802100433C' }, 'creditCode'],
    [{ countyCode: '999999' }, 'countyCode'],
    [{ industry: 'MINING' }, 'industry'],
    [{ grade: 'E' as never }, 'grade'],
    [{ name: '' }, 'name'],
    [{ longitude: 200 }, 'longitude'],
    [{ latitude: -91 }, 'latitude'],
    [{ controlTags: ['VIP'] }, 'controlTags[0]'],
    [{ protected: true, protectedReason: '供暖', protectedMaxLoad: 120 }, 'protectedMaxLoad'],
    [{ protected: true, protectedReason: '供暖' }, 'protectedMaxLoad'],
    [{ protected: true, protectedMaxLoad: 60 }, 'protectedReason'],
    [
      {
        lines: [
          { code: 'A', name: 'a' },
          { code: 'A', name: 'b' },
        ],
      },
      'lines',
    ],
    [{ lines: [{ code: 'A', name: 'a', capacity: -1 }] }, 'lines[0].capacity'],
    [{ baseline: { so2: -1, nox: 0, pm: 0, vocs: 0 } }, 'baseline.so2'],
  ])('names the field for %p', (over, field) => {
    expect(validateEnterpriseInput({ ...valid, ...over }, refs).map((e) => e.field)).toEqual([field]);
  });

  it('rejects an email that is not an email, and needs at least one', () => {
    const fields = validateEnterpriseInput(
      { ...valid, contacts: [{ name: '李四', email: 'not-an-email' }] },
      refs,
    ).map((e) => e.field);
    expect(fields).toEqual(['contacts[0].email', 'contacts']);
    expect(
      validateEnterpriseInput({ ...valid, contacts: [{ name: '李四', phone: '1' }] }, refs).map(
        (e) => e.field,
      ),
    ).toEqual(['contacts']);
  });
});
