import type { FieldError } from '../common/errors/domain-error';

/** Who signed for a notice (签收人) or reported its measures, with a phone to reach them. */
export interface Signer {
  name: string;
  phone: string;
}

/** Chinese characters, with the middle dot of minority names (阿卜杜·热合曼), not at either end. */
const CHINESE_NAME = /^[\p{Script=Han}](?:[\p{Script=Han}·•]*[\p{Script=Han}])?$/u;
// Digits with the separators people write: +86 138-0000-0000, (0358) 8221234, 0358-8221234 转 801.
const PHONE = /^\+?[\d(][\d ()-]*(?: ?(?:转|ext\.?|x) ?\d{1,6})?$/i;

export const SIGNER_NAME_MESSAGE = '签收人姓名应为1至50个汉字(少数民族姓名可用间隔号·)';
export const SIGNER_PHONE_MESSAGE =
  '联系电话应为7至20位数字(手机或带区号的固定电话,可含 +、-、空格、括号和分机号)';

/**
 * The signer as given (trimmed), or the field errors in Chinese, all at once: a name of 1-50 Chinese characters
 * and a phone of 7-20 digits. The one rule for enterprises' receipts and reports and for the county bureaus' and
 * departments' receipts.
 */
export function checkSigner(input: {
  signerName?: unknown;
  signerPhone?: unknown;
}): { signer: Signer } | { errors: FieldError[] } {
  const name = typeof input.signerName === 'string' ? input.signerName.trim() : '';
  const phone = typeof input.signerPhone === 'string' ? input.signerPhone.trim() : '';
  const errors: FieldError[] = [];
  if (!name) errors.push({ field: 'signerName', message: '请填写签收人姓名' });
  else if ([...name].length > 50 || !CHINESE_NAME.test(name))
    errors.push({ field: 'signerName', message: SIGNER_NAME_MESSAGE });
  const digits = phone.replace(/\D/g, '').length;
  if (!phone) errors.push({ field: 'signerPhone', message: '请填写联系电话' });
  else if (!PHONE.test(phone) || digits < 7 || digits > 20 || phone.length > 30)
    errors.push({ field: 'signerPhone', message: SIGNER_PHONE_MESSAGE });
  return errors.length ? { errors } : { signer: { name, phone } };
}
