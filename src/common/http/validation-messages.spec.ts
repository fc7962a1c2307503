import { chineseMessage, fieldLabel } from './validation-messages';

describe('fieldLabel', () => {
  it.each([
    ['opinion', '会商意见'],
    ['forecasts[0].aqi', '第1条预报的AQI'],
    ['forecasts[12].primaryPollutant', '第13条预报的首要污染物'],
    ['measures[2].params', '第3条措施的措施参数'],
    ['countyCodes[1]', '第2条区县'],
    ['directive.level', '省级指令的预警级别'],
    ['deadlines.receiptMinHours', '时限的签收时限'],
    ['somethingNew', 'somethingNew'],
  ])('%s → %s', (path, label) => {
    expect(fieldLabel(path)).toBe(label);
  });
});

describe('chineseMessage', () => {
  it.each([
    ['forecasts[0].aqi', 'isInt', 'aqi must be an integer number', '第1条预报的AQI应为整数'],
    [
      'opinion',
      'minLength',
      'opinion must be longer than or equal to 1 characters',
      '会商意见长度不能少于1个字符',
    ],
    [
      'reason',
      'maxLength',
      'reason must be shorter than or equal to 2000 characters',
      '理由长度不能超过2000个字符',
    ],
    ['measures[0].params', 'isObject', 'params must be an object', '第1条措施的措施参数应为对象'],
    ['countyCodes', 'arrayMaxSize', 'countyCodes must contain no more than 50 elements', '区县最多50项'],
    ['participants', 'arrayMinSize', 'participants must contain at least 1 elements', '参会单位至少需要1项'],
    ['limit', 'max', 'limit must not be greater than 1000', '条数不能大于1000'],
    ['fromHour', 'min', 'fromHour must not be less than 0', '起始小时不能小于0'],
    [
      'kind',
      'isIn',
      'kind must be one of the following values: DISPATCH_ORDER, REGIONAL_WARNING',
      '类型应为以下之一:DISPATCH_ORDER, REGIONAL_WARNING',
    ],
    ['consultationId', 'isUuid', 'consultationId must be a UUID', '会商记录不是有效的编号'],
    ['wholeCity', 'isBoolean', 'wholeCity must be a boolean value', '全市应为是或否(true/false)'],
    ['extra', 'whitelistValidation', 'property extra should not exist', '“extra”是不允许的字段'],
    ['x', 'someNewRule', 'x is wrong somehow', 'x的值无效'],
  ])('%s %s → %s', (field, constraint, english, chinese) => {
    expect(chineseMessage(field, constraint, english)).toBe(chinese);
  });

  it('keeps a message a decorator already gives in Chinese', () => {
    expect(chineseMessage('effectiveAt', 'isTimestamp', '需带时区,如 2026-12-02T08:00:00+08:00')).toBe(
      '需带时区,如 2026-12-02T08:00:00+08:00',
    );
  });
});
