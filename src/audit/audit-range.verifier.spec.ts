import { idBoundaries, joinRanges } from './audit-range.verifier';

describe('idBoundaries', () => {
  it('splits the id span into about equal parts, the last one open-ended', () => {
    expect(idBoundaries('1', '100', 4)).toEqual(['25', '50', '75']);
    expect(idBoundaries('101', '200', 2)).toEqual(['150']);
  });

  it('gives no empty or repeated boundary when there are fewer ids than parts', () => {
    expect(idBoundaries('7', '7', 3)).toEqual([]);
    expect(idBoundaries('1', '2', 4)).toEqual(['1']);
  });

  it('works past the range of a JavaScript number', () => {
    expect(idBoundaries('9007199254740993', '9007199254740996', 2)).toEqual(['9007199254740994']);
  });
});

describe('joinRanges', () => {
  it('counts every range and ends at the last one’s hash when all verify', () => {
    expect(
      joinRanges([
        { checked: 3, lastHash: 'a' },
        { checked: 4, lastHash: 'b' },
        { checked: 0, lastHash: 'b' },
      ]),
    ).toEqual({ checked: 7, lastHash: 'b' });
  });

  it('reports the first failing range, counting the whole ranges before it and its own checked entries', () => {
    expect(
      joinRanges([
        { checked: 3, lastHash: 'a' },
        { checked: 2, lastHash: 'c', firstBadId: '12', reason: 'content does not match its hash' },
        { checked: 0, lastHash: 'd', firstBadId: '20', reason: 'chain broken: previous hash does not match' },
      ]),
    ).toEqual({ checked: 5, lastHash: 'c', firstBadId: '12', reason: 'content does not match its hash' });
  });
});
