import type { FieldError } from '../common/errors/domain-error';

/** Who signed for a notice (签收人) or reported its measures, with a phone to reach them. */
export interface Signer {
  name: string;
  phone: string;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;
// Digits with the separators people write: +86 138-0000-0000, (0358) 8221234, 0358 8221234 转 801.
const PHONE = /^\+?[\d\s()-]+(?:\s*(?:转|ext\.?|x)\s*\d{1,6})?$/i;

/**
 * The signer as given (trimmed), or the field errors in Chinese: a name of 1-50 characters and a phone of 7-20
 * digits (mobile or landline with area code, separators allowed).
 */
export function checkSigner(input: {
  signerName?: unknown;
  signerPhone?: unknown;
}): { signer: Signer } | { errors: FieldError[] } {
  const name = typeof input.signerName === 'string' ? input.signerName.trim() : '';
  const phone = typeof input.signerPhone === 'string' ? input.signerPhone.trim() : '';
  const errors: FieldError[] = [];
  if (!name) errors.push({ field: 'signerName', message: '请填写签收人姓名' });
  else if ([...name].length > 50 || CONTROL.test(name))
    errors.push({ field: 'signerName', message: '签收人姓名应为1-50个字符' });
  const digits = phone.replace(/\D/g, '').length;
  if (!phone) errors.push({ field: 'signerPhone', message: '请填写联系电话' });
  else if (!PHONE.test(phone) || digits < 7 || digits > 20)
    errors.push({ field: 'signerPhone', message: '联系电话应为7-20位数字(手机或带区号的固定电话)' });
  return errors.length ? { errors } : { signer: { name, phone } };
}
