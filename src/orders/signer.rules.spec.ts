import { checkSigner } from './signer.rules';

describe('checkSigner', () => {
  it.each([
    ['张三', '13800000000'],
    [' 李四 ', ' +86 138-0000-0000 '],
    ['王五', '(0358) 8221234'],
    ['赵六', '0358-8221234 转 801'],
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
        { field: 'signerPhone', message: '联系电话应为7-20位数字(手机或带区号的固定电话)' },
      ],
    });
  });

  it('bounds the name at 50 characters and the phone at 7-20 digits', () => {
    expect(checkSigner({ signerName: '张'.repeat(50), signerPhone: '1234567' })).toHaveProperty('signer');
    expect(checkSigner({ signerName: '张'.repeat(51), signerPhone: '123456' })).toEqual({
      errors: [
        { field: 'signerName', message: '签收人姓名应为1-50个字符' },
        { field: 'signerPhone', message: '联系电话应为7-20位数字(手机或带区号的固定电话)' },
      ],
    });
    expect(checkSigner({ signerName: 'a\u0007b', signerPhone: '1'.repeat(21) })).toHaveProperty('errors');
    expect(checkSigner({ signerName: 42, signerPhone: 13800000000 })).toHaveProperty('errors');
  });
});
