import { checkSigner, SIGNER_NAME_MESSAGE, SIGNER_PHONE_MESSAGE } from './signer.rules';

describe('checkSigner', () => {
  it.each([
    ['张三', '13800000000'],
    [' 李四 ', ' +86 138-0000-0000 '],
    ['王五', '(0358) 8221234'],
    ['赵六', '0358-8221234 转 801'],
    ['阿卜杜·热合曼', '13800000000'],
  ])('accepts %p / %p, trimmed', (signerName, signerPhone) => {
    expect(checkSigner({ signerName, signerPhone })).toEqual({
      signer: { name: signerName.trim(), phone: signerPhone.trim() },
    });
  });

  it('names each missing or malformed field in Chinese, all at once', () => {
    expect(checkSigner({})).toEqual({
      errors: [
        { field: 'signerName', message: '请填写签收人姓名' },
        { field: 'signerPhone', message: '请填写联系电话' },
      ],
    });
    expect(checkSigner({ signerName: '   ', signerPhone: 'call me' })).toEqual({
      errors: [
        { field: 'signerName', message: '请填写签收人姓名' },
        { field: 'signerPhone', message: SIGNER_PHONE_MESSAGE },
      ],
    });
  });

  it('bounds the name at 50 characters and the phone at 7-20 digits', () => {
    expect(checkSigner({ signerName: '张'.repeat(50), signerPhone: '1234567' })).toHaveProperty('signer');
    expect(checkSigner({ signerName: '张'.repeat(51), signerPhone: '123456' })).toEqual({
      errors: [
        { field: 'signerName', message: SIGNER_NAME_MESSAGE },
        { field: 'signerPhone', message: SIGNER_PHONE_MESSAGE },
      ],
    });
    expect(checkSigner({ signerName: '王\u0007五', signerPhone: '1'.repeat(21) })).toHaveProperty('errors');
    expect(checkSigner({ signerName: 42, signerPhone: 13800000000 })).toHaveProperty('errors');
  });

  it('takes Chinese names only, and no stray characters in the phone', () => {
    for (const name of ['Wang Jianguo', '王1', '<b>王</b>', '·王', '王·']) {
      expect(checkSigner({ signerName: name, signerPhone: '13800000000' })).toEqual({
        errors: [{ field: 'signerName', message: SIGNER_NAME_MESSAGE }],
      });
    }
    for (const phone of ['138-abcd-0000', '++8613800000000', '-13800000000', '138\n00000000']) {
      expect(checkSigner({ signerName: '王建国', signerPhone: phone })).toEqual({
        errors: [{ field: 'signerPhone', message: SIGNER_PHONE_MESSAGE }],
      });
    }
  });
});
