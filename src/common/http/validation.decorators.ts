import { ValidateIf } from 'class-validator';

/**
 * May be left out, but not sent as null. class-validator's IsOptional skips every check for null too, so a
 * `{"lines": null}` reached the services (a 500) or was stored as a silent "no". Null here runs the field's
 * checks and fails them; flattenValidationErrors words that as one Chinese message.
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
