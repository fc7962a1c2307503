/**
 * Chinese for class-validator's English: the field's Chinese label and what is wrong with it, e.g.
 * `forecasts[0].aqi` + isInt → "第1条预报的AQI应为整数". Messages a decorator already gives in Chinese are kept.
 */

/** The Chinese label of each request field people fill in (API names stay as they are). */
export const FIELD_LABELS: Record<string, string> = {
  action: '措施',
  active: '启用状态',
  address: '地址',
  approval: '审批时限',
  approvalToReleaseHours: '批准至发布时限',
  aqi: 'AQI',
  archived: '归档状态',
  basedOn: '基础规则集',
  baseline: '基准排放量',
  capacity: '产能',
  code: '编号',
  comparison: '比较方式',
  consultationId: '会商记录',
  contactName: '联系人姓名',
  contacts: '联系人',
  controlTags: '管控标签',
  countyCode: '区县',
  countyCodes: '区县',
  creditCode: '统一社会信用代码',
  date: '日期',
  deadlines: '时限',
  description: '措施说明',
  detailedDays: '精细预报天数',
  directive: '省级指令',
  directiveId: '省级指令',
  displayName: '姓名',
  draftToApprovalHours: '起草至批准时限',
  effectiveAt: '生效时间',
  effectiveFrom: '生效日期',
  effectiveTo: '失效日期',
  email: '电子邮箱',
  endAt: '结束时间',
  episodes: '污染过程设置',
  expectedEndAt: '预计结束时间',
  forecasts: '预报',
  from: '开始时间',
  fromHour: '起始小时',
  grade: '绩效等级',
  happenedAt: '跟进时间',
  heldAt: '会商时间',
  id: '编号',
  industry: '行业',
  issuer: '发文机关',
  kind: '类型',
  latitude: '纬度',
  leadTimeHours: '提前发布时间',
  level: '预警级别',
  liftBelowHours: '解除所需小时数',
  liftedAt: '解除时间',
  limit: '条数',
  line: '生产线/工序',
  lines: '生产线/工序',
  longitude: '经度',
  measures: '措施',
  measuresInPlaceAt: '措施落实时间',
  mergeGapHours: '合并间隔',
  name: '名称',
  note: '说明',
  nox: 'NOₓ',
  number: '文号',
  outcome: '结果',
  opinion: '会商意见',
  overrideReason: '书面理由',
  ozonePollutants: '臭氧应对污染物',
  page: '页码',
  pageSize: '每页条数',
  params: '措施参数',
  participants: '参会单位',
  password: '密码',
  phone: '电话',
  pm: '颗粒物',
  pollutedDay: '污染日标准',
  primaryPollutant: '首要污染物',
  protected: '保障类',
  protectedMaxLoad: '保障类最大负荷',
  protectedReason: '保障类原因',
  q: '搜索词',
  reason: '理由',
  receiptMinHours: '签收时限',
  receivedAt: '收到时间',
  reductionRatios: '减排比例',
  reportWithinHours: '落实报告时限',
  responses: '响应设置',
  role: '职务',
  roles: '角色',
  rulesetId: '规则集',
  season: '适用期',
  signerName: '签收人',
  signerPhone: '联系电话',
  so2: 'SO₂',
  source: '依据文件',
  startAt: '开始时间',
  to: '结束时间',
  toHour: '结束小时',
  unit: '单位',
  username: '用户名',
  verification: '核查方式',
  vocs: 'VOCs',
  warningPollutants: '预警计入污染物',
  wholeCity: '全市',
  // Inspections (issue 17)
  closedAt: '销号时间',
  deadline: '整改期限',
  decision: '复核决定',
  findings: '检查情况',
  inspectedAt: '检查时间',
  inspectors: '检查人员',
  newGrade: '新等级',
  rectification: '整改',
  required: '是否要求整改',
  result: '检查结果',
  seed: '随机种子',
  size: '抽查数量',
  // Standing conditions (issue 18)
  basis: '依据',
  conditions: '常态管控条件',
  limits: '限值',
  outlets: '适用排口',
  validFrom: '生效日期',
  validTo: '失效日期',
};

/** What a list item is called when a path indexes into it: forecasts[2] → 第3条预报. */
const ITEM_NOUNS: Record<string, string> = {
  forecasts: '预报',
  measures: '措施',
  contacts: '联系人',
  lines: '生产线',
  countyCodes: '区县',
  participants: '参会单位',
  roles: '角色',
  controlTags: '管控标签',
  anchors: '锚点',
  inspectors: '检查人员',
  conditions: '常态管控条件',
  outlets: '适用排口',
};

const CJK = /[\u3400-\u9fff]/;

/** The Chinese name of a field path: `forecasts[0].aqi` → 第1条预报的AQI; an unknown key stays as it is. */
export function fieldLabel(path: string): string {
  const parts: string[] = [];
  let listKey: string | null = null;
  for (const token of path.match(/[^.[\]]+|\[\d+\]/g) ?? [path]) {
    const index = /^\[(\d+)\]$/.exec(token);
    if (index) {
      const noun = listKey ? (ITEM_NOUNS[listKey] ?? FIELD_LABELS[listKey] ?? listKey) : '';
      if (parts.length && listKey) parts.pop();
      parts.push(`第${Number(index[1]) + 1}条${noun}`);
      listKey = null;
      continue;
    }
    parts.push(FIELD_LABELS[token] ?? token);
    listKey = token;
  }
  return parts.join('的');
}

const num = (message: string): string => /(-?\d+(?:\.\d+)?)/.exec(message)?.[1] ?? '';

/** class-validator constraint → Chinese, given the English message (for the numbers it holds). */
const RULES: Record<string, (english: string) => string> = {
  isString: () => '应为文字',
  isInt: () => '应为整数',
  isNumber: () => '应为数字',
  isBoolean: () => '应为是或否(true/false)',
  isArray: () => '应为列表',
  isObject: () => '应为对象',
  isUuid: () => '不是有效的编号',
  isDefined: () => '必须填写',
  isNotEmpty: () => '不能为空',
  isEmail: () => '不是有效的电子邮箱',
  isDateString: () => '不是有效的日期时间',
  isIso8601: () => '不是有效的日期时间',
  matches: () => '格式不正确',
  minLength: (e) => `长度不能少于${num(e)}个字符`,
  maxLength: (e) => `长度不能超过${num(e)}个字符`,
  arrayMinSize: (e) => `至少需要${num(e)}项`,
  arrayMaxSize: (e) => `最多${num(e)}项`,
  arrayNotEmpty: () => '至少需要1项',
  min: (e) => `不能小于${num(e)}`,
  max: (e) => `不能大于${num(e)}`,
  isIn: (e) => `应为以下之一:${e.split(/following values?:\s*/)[1] ?? ''}`,
  isEnum: (e) => `应为以下之一:${e.split(/following values?:\s*/)[1] ?? ''}`,
  whitelistValidation: () => '是不允许的字段',
  nestedValidation: () => '应为对象或列表',
};

/**
 * The Chinese message for one failed constraint of a field: kept when the decorator already says it in Chinese,
 * else the field's label and the rule, e.g. "会商意见长度不能少于1个字符". An unknown constraint says the field is
 * invalid rather than leak English.
 */
export function chineseMessage(field: string, constraint: string, english: string): string {
  if (CJK.test(english)) return english;
  const rule = RULES[constraint]?.(english) ?? '的值无效';
  const label = fieldLabel(field);
  return constraint === 'whitelistValidation' ? `“${label}”${rule}` : `${label}${rule}`;
}
