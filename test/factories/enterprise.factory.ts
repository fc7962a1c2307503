import type { EnterpriseInput, MeasureInput } from '../../src/enterprises/enterprise.types';
import { creditCodeFor } from '../../src/database/seeds/demo-enterprises.generator';

let serial = 0;

/** A valid credit code for a test enterprise, unique within the run. */
export function testCreditCode(countyCode = '141102'): string {
  const n = (serial++).toString().padStart(5, '0');
  return creditCodeFor(countyCode, `MA0T${n}`);
}

export function enterpriseInput(over: Partial<EnterpriseInput> = {}): EnterpriseInput {
  return {
    creditCode: testCreditCode(over.countyCode),
    name: `测试焦化有限公司${serial}`,
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
  };
}

export function measure(over: Partial<MeasureInput> = {}): MeasureInput {
  return {
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
  };
}
