import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { timestampProblem } from '../timestamp.rules';

/**
 * May be left out, but not sent as null. class-validator's IsOptional skips every check for null too, so a
 * `{"lines": null}` reached the services (a 500) or was stored as a silent "no". Null here runs the field's
 * checks and fails them; flattenValidationErrors words that as one Chinese message.
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** An instant: ISO 8601 date and time with its zone (see timestampProblem); the message says what is missing. */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: (value: unknown) => timestampProblem(value) === null,
        defaultMessage: (args) => timestampProblem(args?.value) ?? '',
      },
    },
    options,
  );
}
