import { IsInt, IsString, MinLength } from 'class-validator';
import { DomainError } from '../common/errors/domain-error';
import { formErrors, many, one, validated } from './console-forms';

class SampleDto {
  @IsString() @MinLength(2) name: string;
  @IsInt() count: number;
}

describe('console forms', () => {
  it('takes single and repeated values, trimming and dropping empties', () => {
    expect(one({ a: [' x ', 'y'] }, 'a')).toBe('x');
    expect(one({ a: '' }, 'a')).toBeUndefined();
    expect(many({ c: ['141181', '', '141182'] }, 'c')).toEqual(['141181', '141182']);
    expect(many({ c: '141181' }, 'c')).toEqual(['141181']);
    expect(many({}, 'c')).toEqual([]);
  });

  it('validates with the API DTO and names every bad or unknown field', () => {
    expect(validated(SampleDto, { name: 'ab', count: 3 })).toMatchObject({ name: 'ab', count: 3 });
    let refused: unknown = null;
    try {
      validated(SampleDto, { name: 'a', count: 'x', extra: 1 });
    } catch (e) {
      refused = e;
    }
    expect(Object.keys(formErrors(refused).byField).sort()).toEqual(['count', 'extra', 'name']);
  });

  it('lets authorisation errors through to the error page', () => {
    expect(() => formErrors(new DomainError('FORBIDDEN', 'no'))).toThrow('no');
    expect(() => formErrors(new Error('boom'))).toThrow('boom');
  });
});
