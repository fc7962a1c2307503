import {
  closeProblems,
  decisionProblems,
  downgradeTargets,
  inspectedAtProblems,
  inspectionRefusal,
  inspectorOf,
  inspectorScope,
  normaliseInspectors,
  opensGradeReview,
  PHOTO_MAX_BYTES,
  photoProblems,
  photoType,
  rectificationProblems,
  verifiedCompliance,
} from './inspection.rules';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const WEBP = Uint8Array.from(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'));

describe('inspection rules', () => {
  it('lets the city-wide roles inspect everywhere and a county-scoped person only in their counties', () => {
    expect(inspectionRefusal({ roles: ['DUTY_OFFICER'] }, { countyCode: '141181' })).toBeNull();
    expect(inspectionRefusal({ roles: ['COMMANDER'] }, { countyCode: '141181' })).toBeNull();
    expect(inspectionRefusal({ roles: ['AUDITOR'] }, { countyCode: '141181' })).toBe(
      '当前角色无权记录现场检查',
    );
    const officer = { roles: ['COUNTY_OFFICER'], countyCodes: ['141130'] };
    expect(inspectionRefusal(officer, { countyCode: '141130' })).toBeNull();
    expect(inspectionRefusal(officer, { countyCode: '141181' })).toBe('只能检查本辖区的企业');
  });

  it('makes a county officer an inspector of their counties, finding only their counties’ orders', () => {
    const officer = inspectorOf({ roles: ['COUNTY_OFFICER'], countyCodes: ['141126'] });
    expect(officer).toEqual({
      roles: ['COUNTY_OFFICER'],
      countyCodes: ['141126'],
      scope: { counties: ['141126'] },
    });
    expect(inspectionRefusal(officer, { countyCode: '141126' })).toBeNull();
    expect(inspectionRefusal(officer, { countyCode: '141181' })).toBe('只能检查本辖区的企业');
    // A city-wide role inspects and finds everywhere, whatever counties its account lists.
    const duty = inspectorOf({ roles: ['DUTY_OFFICER'], countyCodes: [] });
    expect(duty).toEqual({ roles: ['DUTY_OFFICER'], scope: { all: true } });
    expect(inspectionRefusal(duty, { countyCode: '141181' })).toBeNull();
    // Read-only roles find everything and record nothing.
    const auditor = inspectorOf({ roles: ['AUDITOR'], countyCodes: [] });
    expect(auditor.scope).toEqual({ all: true });
    expect(inspectionRefusal(auditor, { countyCode: '141181' })).toBe('当前角色无权记录现场检查');
  });

  it('finds an inspector’s orders in their scope, else their counties, else everywhere', () => {
    expect(inspectorScope({ roles: ['COUNTY_OFFICER'], scope: { counties: ['141126'] } })).toEqual({
      counties: ['141126'],
    });
    // Counties without a scope still bound what is found (never every county by omission).
    expect(inspectorScope({ roles: ['COUNTY_OFFICER'], countyCodes: ['141126'] })).toEqual({
      counties: ['141126'],
    });
    expect(inspectorScope({ roles: ['DUTY_OFFICER'] })).toEqual({ all: true });
  });

  it('places the inspection between the order and now', () => {
    const written = new Date('2026-11-28T02:00:00Z');
    const now = new Date('2026-11-28T06:00:00Z');
    expect(inspectedAtProblems(new Date('2026-11-28T05:00:00Z'), now, written)).toEqual([]);
    expect(inspectedAtProblems(new Date('2026-11-28T06:01:00Z'), now, written)).toEqual([
      { field: 'inspectedAt', message: '检查时间不能晚于当前时间' },
    ]);
    expect(inspectedAtProblems(new Date('2026-11-28T01:59:00Z'), now, written)).toEqual([
      { field: 'inspectedAt', message: '检查时间不能早于指令下达时间' },
    ]);
  });

  it('keeps the inspectors’ names once each, trimmed', () => {
    expect(normaliseInspectors([' 张三 ', '李四', '', '张三'])).toEqual(['张三', '李四']);
  });

  it('asks a rectification only of a violation, with a deadline after the inspection', () => {
    const at = new Date('2026-11-28T05:00:00Z');
    expect(
      rectificationProblems('VIOLATION', { required: true, deadline: '2026-11-30T00:00:00Z' }, at),
    ).toEqual([]);
    expect(rectificationProblems('COMPLIANT', { required: false }, at)).toEqual([]);
    expect(rectificationProblems('COMPLIANT', undefined, at)).toEqual([]);
    expect(
      rectificationProblems('COMPLIANT', { required: true, deadline: '2026-11-30T00:00:00Z' }, at),
    ).toEqual([{ field: 'rectification.required', message: '检查结果为措施落实时无需整改' }]);
    expect(rectificationProblems('VIOLATION', { required: true }, at)).toEqual([
      { field: 'rectification.deadline', message: '要求整改时须填写整改期限' },
    ]);
    expect(
      rectificationProblems('VIOLATION', { required: true, deadline: '2026-11-28T05:00:00Z' }, at),
    ).toEqual([{ field: 'rectification.deadline', message: '整改期限须晚于检查时间' }]);
  });

  it('closes an open rectification once, between the inspection and now', () => {
    const inspectedAt = new Date('2026-11-28T05:00:00Z');
    const now = new Date('2026-11-29T05:00:00Z');
    const open = { rectificationRequired: true, rectificationClosedAt: null, inspectedAt };
    expect(closeProblems(open, new Date('2026-11-29T01:00:00Z'), now)).toBeNull();
    expect(closeProblems({ ...open, rectificationRequired: false }, now, now)?.message).toBe(
      '该检查未要求整改',
    );
    expect(closeProblems({ ...open, rectificationClosedAt: now }, now, now)?.message).toBe('该整改已销号');
    expect(closeProblems(open, new Date('2026-11-29T06:00:00Z'), now)?.fields).toEqual([
      { field: 'closedAt', message: '销号时间不能晚于当前时间' },
    ]);
    expect(closeProblems(open, new Date('2026-11-28T04:00:00Z'), now)?.fields).toEqual([
      { field: 'closedAt', message: '销号时间不能早于检查时间' },
    ]);
  });

  it('knows JPG, PNG and WebP by their first bytes, not by name', () => {
    expect(photoType(JPEG)?.mediaType).toBe('image/jpeg');
    expect(photoType(PNG)?.mediaType).toBe('image/png');
    expect(photoType(WEBP)?.mediaType).toBe('image/webp');
    expect(photoType(Uint8Array.from(Buffer.from('GIF89a')))).toBeNull();
    expect(photoType(Uint8Array.from(Buffer.from('RIFF\x24\x00\x00\x00WAVE', 'latin1')))).toBeNull();
    expect(photoType(new Uint8Array([0xff, 0xd8]))).toBeNull();
  });

  it('names each bad photo by its place: not an image, empty, too large; and at least one', () => {
    expect(photoProblems([{ size: 6, head: JPEG }], 0)).toEqual([]);
    expect(photoProblems([{ size: PHOTO_MAX_BYTES, head: PNG }], 0)).toEqual([]);
    expect(
      photoProblems(
        [
          { size: 6, head: JPEG },
          { size: 6, head: Uint8Array.from(Buffer.from('%PDF-1')) },
          { size: 0, head: new Uint8Array() },
          { size: PHOTO_MAX_BYTES + 1, head: JPEG },
        ],
        0,
      ),
    ).toEqual([
      { field: 'photos[1]', message: '照片须为 JPG、PNG 或 WebP 格式' },
      { field: 'photos[2]', message: '照片为空文件' },
      { field: 'photos[3]', message: '照片不能超过10MB' },
    ]);
    expect(photoProblems([], 0)).toEqual([
      { field: 'photos', message: '请选择要上传的照片(表单字段名 photos)' },
    ]);
    expect(photoProblems([{ size: 6, head: JPEG }], 30)).toEqual([
      { field: 'photos', message: '每次检查最多30张照片' },
    ]);
  });

  it('downgrades only to a lower grade, decides once, and keeps without a new grade', () => {
    expect(downgradeTargets('B')).toEqual(['B_MINUS', 'C', 'D']);
    expect(downgradeTargets('D')).toEqual([]);
    expect(downgradeTargets('UNGRADED')).toEqual(['B_MINUS', 'C', 'D']);
    const pending = { state: 'PENDING' as const };
    expect(decisionProblems(pending, 'B', 'DOWNGRADE', 'C')).toBeNull();
    expect(decisionProblems(pending, 'B', 'KEEP', undefined)).toBeNull();
    expect(decisionProblems(pending, 'C', 'DOWNGRADE', 'B')?.fields).toEqual([
      { field: 'newGrade', message: '降级须选择低于现等级(C级)的等级:D级' },
    ]);
    expect(decisionProblems(pending, 'C', 'DOWNGRADE', undefined)?.code).toBe('VALIDATION_FAILED');
    expect(decisionProblems(pending, 'C', 'KEEP', 'D')?.fields).toEqual([
      { field: 'newGrade', message: '维持原级时无需填写新等级' },
    ]);
    expect(decisionProblems({ state: 'KEPT' }, 'C', 'KEEP', undefined)).toMatchObject({
      code: 'CONFLICT',
      message: '该复核已有决定',
    });
  });

  it('counts verified compliance beside the self-reported', () => {
    expect(
      verifiedCompliance([
        { executed: true, latestResult: 'COMPLIANT' },
        { executed: true, latestResult: 'VIOLATION' },
        { executed: false, latestResult: 'VIOLATION' },
        { executed: true, latestResult: null },
        { executed: false, latestResult: null },
      ]),
    ).toEqual({
      selfReported: 3,
      inspected: 3,
      compliant: 1,
      violation: 2,
      reportedButViolating: 1,
      metered: 0,
      meterExceeded: 0,
      meterMissing: 0,
      reportedButMeterExceeded: 0,
    });
  });

  it('counts what the meters showed beside the inspections, for metered enterprises only', () => {
    const meter = (exceeded: boolean, missing: boolean, exceededAfterReport = false) => ({
      metered: true,
      exceeded,
      missing,
      exceededAfterReport,
    });
    expect(
      verifiedCompliance([
        { executed: true, latestResult: null, meter: meter(true, false, true) },
        { executed: false, latestResult: null, meter: meter(true, true) },
        { executed: true, latestResult: 'COMPLIANT', meter: meter(false, false) },
        { executed: true, latestResult: null },
      ]),
    ).toMatchObject({
      selfReported: 3,
      metered: 3,
      meterExceeded: 2,
      meterMissing: 1,
      reportedButMeterExceeded: 1,
    });
  });

  it('counts a row standing for n enterprises n times', () => {
    const meter = { metered: true, exceeded: true, missing: false, exceededAfterReport: true };
    expect(
      verifiedCompliance([
        { executed: true, latestResult: 'VIOLATION', meter, n: 40 },
        { executed: false, latestResult: 'COMPLIANT', n: 7 },
        { executed: true, latestResult: null },
      ]),
    ).toEqual({
      selfReported: 41,
      inspected: 47,
      compliant: 7,
      violation: 40,
      reportedButViolating: 40,
      metered: 40,
      meterExceeded: 40,
      meterMissing: 0,
      reportedButMeterExceeded: 40,
    });
  });

  it('opens a grade review for a violation found while the warning was in force only', () => {
    const warning = { from: new Date('2026-11-28T02:00:00Z'), to: null };
    const at = new Date('2026-11-28T05:00:00Z');
    expect(opensGradeReview('VIOLATION', at, warning)).toBe(true);
    expect(opensGradeReview('COMPLIANT', at, warning)).toBe(false);
    expect(opensGradeReview('VIOLATION', new Date('2026-11-28T01:00:00Z'), warning)).toBe(false);
    const lifted = { ...warning, to: new Date('2026-11-28T04:00:00Z') };
    expect(opensGradeReview('VIOLATION', at, lifted)).toBe(false);
    expect(opensGradeReview('VIOLATION', new Date('2026-11-28T04:00:00Z'), lifted)).toBe(true);
  });
});
