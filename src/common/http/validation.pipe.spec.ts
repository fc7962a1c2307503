import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, Max, ValidateNested } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { IsOptionalNotNull } from './validation.decorators';
import { createValidationPipe, flattenValidationErrors, NULL_MESSAGE } from './validation.pipe';

class Forecast {
  @IsInt()
  @Max(500)
  aqi: number;
}

class Consultation {
  @ValidateNested({ each: true })
  @Type(() => Forecast)
  forecasts: Forecast[];
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const meta = { type: 'body' as const, metatype: Consultation };

  it('names nested array fields with their index', async () => {
    const error = await pipe
      .transform({ forecasts: [{ aqi: 100 }, { aqi: 501 }] }, meta)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    expect((error as DomainError).fields).toEqual([
      { field: 'forecasts[1].aqi', message: '第2条预报的AQI不能大于500' },
    ]);
  });

  it('rejects unknown properties by name instead of dropping them', async () => {
    const error = (await pipe
      .transform({ forecasts: [], extra: 1 }, meta)
      .catch((e: unknown) => e)) as DomainError;
    expect(error.fields).toEqual([{ field: 'extra', message: '“extra”是不允许的字段' }]);
  });

  it('passes valid input through as class instances', async () => {
    const value = (await pipe.transform({ forecasts: [{ aqi: 200 }] }, meta)) as Consultation;
    expect(value.forecasts[0]).toBeInstanceOf(Forecast);
  });
});

class Patch {
  @IsOptionalNotNull() @IsArray() lines?: string[];
  @IsOptional() @IsString() address?: string | null;
}

describe('null in optional fields', () => {
  const pipe = createValidationPipe();
  const meta = { type: 'body' as const, metatype: Patch };
  const fieldsOf = async (body: object) =>
    ((await pipe.transform(body, meta).catch((e: unknown) => e)) as DomainError).fields;

  it('refuses null where the field may only be left out, with one Chinese message naming it', async () => {
    expect(await fieldsOf({ lines: null })).toEqual([{ field: 'lines', message: NULL_MESSAGE }]);
  });

  it('still lets such a field be left out, and a nullable one be null', async () => {
    await expect(pipe.transform({}, meta)).resolves.toBeInstanceOf(Patch);
    await expect(pipe.transform({ address: null }, meta)).resolves.toEqual({ address: null });
  });

  it('names an unknown field sent as null as unknown, not as null', async () => {
    expect(await fieldsOf({ extra: null })).toEqual([{ field: 'extra', message: '“extra”是不允许的字段' }]);
  });
});

describe('flattenValidationErrors', () => {
  it('keeps every constraint message of a field, in Chinese with its label', () => {
    expect(
      flattenValidationErrors([
        {
          property: 'username',
          constraints: {
            minLength: 'username must be longer than or equal to 3 characters',
            matches: '用户名只能包含小写字母、数字',
          },
          children: [],
        },
      ]),
    ).toEqual([
      { field: 'username', message: '用户名长度不能少于3个字符' },
      { field: 'username', message: '用户名只能包含小写字母、数字' },
    ]);
  });
});
