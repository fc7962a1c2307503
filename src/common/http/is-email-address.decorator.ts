import { registerDecorator, type ValidationOptions } from 'class-validator';
import { emailAddressProblem } from '../email-address.rules';

/**
 * A DTO field holding a recipient address, checked by the one rule the import and the services use too.
 * An empty string means "no address" (optional fields), as it does in the spreadsheet.
 */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isEmailAddress',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && (value === '' || emailAddressProblem(value) === null),
        defaultMessage: (args) =>
          typeof args?.value === 'string' ? (emailAddressProblem(args.value) ?? '') : '电子邮箱应为文本',
      },
    });
}
