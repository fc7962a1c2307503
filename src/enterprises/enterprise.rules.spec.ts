import type { EnterpriseInput } from './enterprise.types';
import { normaliseEnterpriseInput, validateEnterpriseInput } from './enterprise.rules';

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

describe('the API limits, shared with the import', () => {
  const fields = (over: Partial<EnterpriseInput>) =>
    validateEnterpriseInput({ ...valid, ...over }, refs).map((e) => e.field);

  it.each<[Partial<EnterpriseInput>, string]>([
    [{ name: '焦'.repeat(201) }, 'name'],
    [{ address: 'x'.repeat(301) }, 'address'],
    [{ protected: true, protectedMaxLoad: 50, protectedReason: 'x'.repeat(501) }, 'protectedReason'],
    [{ contacts: [{ name: '张'.repeat(101), email: 'a@x.cn' }] }, 'contacts[0].name'],
    [{ contacts: [{ name: '张三', role: 'r'.repeat(101), email: 'a@x.cn' }] }, 'contacts[0].role'],
    [{ contacts: [{ name: '张三', phone: '1'.repeat(51), email: 'a@x.cn' }] }, 'contacts[0].phone'],
    [{ lines: [{ code: 'L'.repeat(51), name: 'a' }] }, 'lines[0].code'],
    [{ lines: [{ code: 'L1', name: 'n'.repeat(201) }] }, 'lines[0].name'],
    [{ lines: [{ code: 'L1', name: 'a', unit: 'u'.repeat(31) }] }, 'lines[0].unit'],
    [{ controlTags: Array.from({ length: 11 }, () => 'BUILT_UP_AREA') }, 'controlTags'],
    [{ industry: 'X'.repeat(41) }, 'industry'],
  ])('names the field over its limit for %p', (over, field) => {
    expect(fields(over)).toEqual([field]);
  });

  it('counts characters as the DTO did: a character outside the BMP is one', () => {
    expect(fields({ name: '𠀀'.repeat(200) })).toEqual([]);
    expect(fields({ name: '𠀀'.repeat(201) })).toEqual(['name']);
  });

  it('refuses 3,000 contacts with one error for the list, not one per contact', () => {
    const contacts = Array.from({ length: 3000 }, (_, i) => ({ name: `联系人${i}`, email: `c${i}@x.cn` }));
    const errors = validateEnterpriseInput({ ...valid, contacts }, refs);
    expect(errors).toEqual([{ field: 'contacts', message: '联系人最多20个,实际3000个' }]);
    expect(fields({ contacts: contacts.slice(0, 20) })).toEqual([]);
  });

  it('checks addresses with the mail-server rule, naming the contact', () => {
    for (const email of ['"a\r\nb"@x.cn', '"a,b"@x.cn', '"<a>"@x.cn', 'a..b@x.cn', 'a@-x.cn']) {
      const errors = validateEnterpriseInput({ ...valid, contacts: [{ name: '李四', email }] }, refs);
      expect(errors.map((e) => e.field)).toEqual(['contacts[0].email', 'contacts']);
      expect(errors[0].message).toContain('联系人邮箱');
    }
  });
});

describe('normaliseEnterpriseInput', () => {
  it('trims text, drops empty optional text, upper-cases codes and names a line by its code', () => {
    expect(
      normaliseEnterpriseInput({
        ...valid,
        creditCode: ' 9111 0000802100433b ',
        name: ' 福裕焦化 ',
        industry: 'coking ',
        address: '  ',
        grade: 'b_minus' as EnterpriseInput['grade'],
        controlTags: [' built_up_area'],
        contacts: [{ name: ' 张三 ', role: '', email: ' a@x.cn ', phone: ' ' }],
        lines: [{ code: ' JL1 ', name: '' }],
      }),
    ).toEqual({
      ...valid,
      creditCode: '91110000802100433B',
      name: '福裕焦化',
      industry: 'COKING',
      address: null,
      grade: 'B_MINUS',
      protectedReason: null,
      controlTags: ['BUILT_UP_AREA'],
      contacts: [{ name: '张三', email: 'a@x.cn' }],
      lines: [{ code: 'JL1', name: 'JL1' }],
    });
  });

  it('passes values of the wrong type through for validation to name', () => {
    const input = { ...valid, name: null } as unknown as EnterpriseInput;
    expect(validateEnterpriseInput(normaliseEnterpriseInput(input), refs).map((e) => e.field)).toEqual([
      'name',
    ]);
  });
});
