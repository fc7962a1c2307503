import { pageSql, ScopedFilter } from './scoped-filter';

describe('ScopedFilter', () => {
  it('puts the caller’s scope first and numbers each filter’s placeholder in turn', () => {
    const f = new ScopedFilter('d.county_code', { counties: ['141126'] })
      .add((p) => `d.kind = ${p}`, 'EXCEEDED')
      .raw('d.review_outcome IS NULL')
      .add((p) => `d.alert_id = ${p}`, 'a1');
    expect(f.sql).toBe(
      '($1::varchar[] IS NULL OR d.county_code = ANY($1::varchar[])) AND d.kind = $2 AND d.review_outcome IS NULL AND d.alert_id = $3',
    );
    expect(f.params).toEqual([['141126'], 'EXCEEDED', 'a1']);
    expect(new ScopedFilter('f.county_code', { all: true }).params).toEqual([null]);
  });

  it('writes a 1-based page as LIMIT and OFFSET', () => {
    expect(pageSql(3, 50)).toBe('LIMIT 50 OFFSET 100');
  });
});
