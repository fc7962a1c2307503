import { ACTION_NAMES } from '../enterprises/enterprise.types';
import { checkSigner, countySummary, partiesToNotify, partyNoticeTitle } from './party.rules';

const duties = {
  YELLOW: [
    { department: 'ZHUJIAN', duty: '停止土石方作业' },
    { department: 'QIXIANG', duty: '适时开展人工影响天气作业' },
  ],
  ORANGE: [
    { department: 'ZHUJIAN', duty: '停止土石方和户外涂装作业' },
    { department: 'ZHUJIAN', duty: '渣土车停止上路' },
    { department: 'GONGXIN', duty: '督促错峰生产' },
  ],
};
const departments = [
  { code: 'ZHUJIAN', active: true },
  { code: 'GONGXIN', active: true },
  { code: 'QIXIANG', active: true },
  { code: 'SHANGWU', active: false },
];
const summary = (r: ReturnType<typeof partiesToNotify>) =>
  r.map((p) => `${p.partyKind}:${p.partyCode}:${p.duties.length}`);

describe('who gets a party notice', () => {
  it('issue: the bureaus of the warning’s counties and the active departments with duties at its level', () => {
    const r = partiesToNotify({
      kind: 'ISSUE',
      level: 'ORANGE',
      countyCodes: ['141122', '141181'],
      duties,
      departments,
      notified: [],
    });
    expect(summary(r)).toEqual([
      'COUNTY:141122:4',
      'COUNTY:141181:4',
      'DEPARTMENT:ZHUJIAN:2',
      'DEPARTMENT:GONGXIN:1',
    ]);
    expect(r.find((p) => p.partyCode === 'ZHUJIAN')!.duties).toEqual([
      '停止土石方和户外涂装作业',
      '渣土车停止上路',
    ]);
  });

  it('leaves out a department left out of the list (inactive), even with duties at the level', () => {
    const r = partiesToNotify({
      kind: 'ISSUE',
      level: 'YELLOW',
      countyCodes: ['141122'],
      duties: { YELLOW: [...duties.YELLOW, { department: 'SHANGWU', duty: '油品装卸' }] },
      departments,
      notified: [],
    });
    expect(summary(r)).toEqual(['COUNTY:141122:4', 'DEPARTMENT:ZHUJIAN:1', 'DEPARTMENT:QIXIANG:1']);
  });

  it('downgrade: a department told before whose duties end at the new level is told so (no duties)', () => {
    const r = partiesToNotify({
      kind: 'DOWNGRADE',
      level: 'YELLOW',
      countyCodes: ['141122'],
      duties,
      departments,
      notified: [
        { partyKind: 'COUNTY', partyCode: '141122' },
        { partyKind: 'DEPARTMENT', partyCode: 'ZHUJIAN' },
        { partyKind: 'DEPARTMENT', partyCode: 'GONGXIN' },
      ],
    });
    expect(summary(r)).toEqual([
      'COUNTY:141122:4',
      'DEPARTMENT:ZHUJIAN:1',
      'DEPARTMENT:GONGXIN:0',
      'DEPARTMENT:QIXIANG:1',
    ]);
  });

  it('lift, cancel and expiry: everyone told before and no one else, with no duties', () => {
    for (const kind of ['LIFT', 'CANCEL', 'EXPIRE'] as const) {
      const r = partiesToNotify({
        kind,
        level: 'ORANGE',
        countyCodes: ['141122', '141181'],
        duties,
        departments,
        notified: [
          { partyKind: 'COUNTY', partyCode: '141122' },
          { partyKind: 'DEPARTMENT', partyCode: 'QIXIANG' },
          { partyKind: 'DEPARTMENT', partyCode: 'QIXIANG' },
        ],
      });
      expect(summary(r)).toEqual(['COUNTY:141122:0', 'DEPARTMENT:QIXIANG:0']);
    }
  });

  it('a ruleset without department duties notifies the counties only', () => {
    const r = partiesToNotify({
      kind: 'ISSUE',
      level: 'RED',
      countyCodes: ['141102'],
      duties: undefined,
      departments,
      notified: [],
    });
    expect(summary(r)).toEqual(['COUNTY:141102:4']);
  });
});

describe('signer (签收人, 联系电话)', () => {
  it('takes a Chinese name and a phone with +, hyphens and spaces, trimmed', () => {
    expect(checkSigner({ signerName: ' 王建国 ', signerPhone: ' 0358-8221234 ' })).toEqual({
      signer: { signerName: '王建国', signerPhone: '0358-8221234' },
      errors: [],
    });
    expect(checkSigner({ signerName: '阿卜杜·热合曼', signerPhone: '+86 138 0000 0000' }).errors).toEqual([]);
    expect(checkSigner({ signerName: '李', signerPhone: '1234567' }).errors).toEqual([]);
  });

  it('names every problem at once', () => {
    expect(checkSigner({}).errors).toEqual([
      { field: 'signerName', message: '请填写签收人姓名' },
      { field: 'signerPhone', message: '请填写联系电话' },
    ]);
    const bad = checkSigner({ signerName: 'Wang Jianguo', signerPhone: '12345' }).errors.map((e) => e.field);
    expect(bad).toEqual(['signerName', 'signerPhone']);
  });

  it('refuses names that are not Chinese or too long, and phones with letters or the wrong number of digits', () => {
    for (const name of ['王1', '<b>王</b>', '·王', '王'.repeat(51), 'Ivan']) {
      expect(
        checkSigner({ signerName: name, signerPhone: '13800000000' }).errors.map((e) => e.field),
      ).toEqual(['signerName']);
    }
    expect(checkSigner({ signerName: '王'.repeat(50), signerPhone: '13800000000' }).errors).toEqual([]);
    for (const phone of [
      '123456',
      '1'.repeat(21),
      '138-abcd-0000',
      '++8613800000000',
      '-13800000000',
      '138\n00000000',
    ]) {
      expect(checkSigner({ signerName: '王建国', signerPhone: phone }).errors.map((e) => e.field)).toEqual([
        'signerPhone',
      ]);
    }
    expect(checkSigner({ signerName: '王建国', signerPhone: '1'.repeat(20) }).errors).toEqual([]);
  });
});

describe('county summary and titles', () => {
  it('counts orders grouped alike by their number', () => {
    const s = countySummary([
      { grade: 'C', noticeType: 'MANDATORY', problem: null, actions: ['STOP'], n: 40 },
      { grade: 'C', noticeType: 'MANDATORY', problem: 'NO_EMAIL', actions: ['STOP', 'TRUCK_BAN_CN4'], n: 2 },
      { grade: 'B', noticeType: 'MANDATORY', problem: 'NO_PLAN', actions: [], n: 3 },
    ]);
    expect(s).toEqual({
      enterprises: 45,
      noEmail: 2,
      noPlan: 3,
      grades: [
        { grade: 'B', gradeName: 'B级', enterprises: 3, actions: [] },
        {
          grade: 'C',
          gradeName: 'C级',
          enterprises: 42,
          actions: [
            { action: 'STOP', actionName: '停产', enterprises: 42 },
            { action: 'TRUCK_BAN_CN4', actionName: ACTION_NAMES.TRUCK_BAN_CN4, enterprises: 2 },
          ],
        },
      ],
    });
  });

  it('counts enterprises per grade (catalogue order) and per measure action', () => {
    const s = countySummary([
      { grade: 'C', noticeType: 'MANDATORY', problem: null, actions: ['STOP'] },
      {
        grade: 'B',
        noticeType: 'MANDATORY',
        problem: 'NO_EMAIL',
        actions: ['LIMIT_PERCENT', 'TRUCK_BAN_CN4'],
      },
      { grade: 'C', noticeType: 'MANDATORY', problem: null, actions: ['STOP', 'TRUCK_BAN_CN4'] },
      { grade: 'A', noticeType: 'VOLUNTARY', problem: 'NO_PLAN', actions: [] },
    ]);
    expect(s).toEqual({
      enterprises: 4,
      noEmail: 1,
      noPlan: 1,
      grades: [
        { grade: 'A', gradeName: 'A级', enterprises: 1, actions: [] },
        {
          grade: 'B',
          gradeName: 'B级',
          enterprises: 1,
          actions: [
            { action: 'LIMIT_PERCENT', actionName: '限产', enterprises: 1 },
            { action: 'TRUCK_BAN_CN4', actionName: '禁用国四及以下重型货车运输', enterprises: 1 },
          ],
        },
        {
          grade: 'C',
          gradeName: 'C级',
          enterprises: 2,
          actions: [
            { action: 'STOP', actionName: '停产', enterprises: 2 },
            { action: 'TRUCK_BAN_CN4', actionName: '禁用国四及以下重型货车运输', enterprises: 1 },
          ],
        },
      ],
    });
  });

  it('titles each kind of notice with the level and response level', () => {
    expect(partyNoticeTitle('ISSUE', 'ORANGE')).toBe('关于启动重污染天气橙色预警(Ⅱ级应急响应)的通知');
    expect(partyNoticeTitle('UPGRADE', 'RED')).toBe('关于将重污染天气预警升级为红色预警(Ⅰ级应急响应)的通知');
    expect(partyNoticeTitle('LIFT', 'YELLOW')).toBe('关于解除重污染天气黄色预警(Ⅲ级应急响应)的通知');
    expect(partyNoticeTitle('EXPIRE', 'YELLOW')).toBe('关于重污染天气黄色预警到期解除的通知');
  });
});
