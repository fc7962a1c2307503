/**
 * Every action the code records in the audit log, with the label people read (timeline, audit page, CSV).
 * `AuditRecord.action` is typed by this catalog: a new action does not compile until it is listed here.
 */
export const AUDIT_ACTIONS = {
  // Warnings
  'alert.drafted': { label: '起草预警' },
  'campaign.drafted': { label: '起草季节性管控' },
  'alert.change.proposed': { label: '提出变更' },
  'alert.lift.forecast-warning': { label: '解除核对:预报不支持解除' },
  'alert.approved': { label: '审批通过' },
  'alert.lift.override': { label: '预报不支持解除,指挥部书面说明后批准' },
  'alert.approval.two-person-concern': { label: '两人审批存疑' },
  'alert.rejected': { label: '驳回' },
  'alert.revision.applied': { label: '变更生效' },
  'alert.expired': { label: '预警到期' },
  'alert.transition.failed': { label: '定时生效失败(将重试)' },
  // Provincial directives (调度令 / 区域预警)
  'directive.recorded': { label: '录入省级指令' },
  'directive.lifted': { label: '省级指令解除' },
  'directive.lift.proposal-skipped': { label: '省级指令解除:未能提出预警解除' },
  // Reduction orders
  'orders.created': { label: '生成减排指令' },
  'orders.superseded': { label: '新指令生效,原指令停止执行' },
  'orders.ended': { label: '减排指令解除' },
  'orders.extension-notices': { label: '发送延长通知' },
  'orders.escalated': { label: '逾期通报区县' },
  'order.received': { label: '企业确认收到' },
  'order.executed': { label: '企业报告措施落实' },
  'order.receipt.repeated': { label: '企业重复确认收到' },
  'order.report.repeated': { label: '企业重复报告落实' },
  'order.ack.refused-staff': { label: '拒绝工作人员代企业回执' },
  'order.overdue': { label: '指令逾期' },
  'order.reminded': { label: '值班员发送提醒' },
  'order.followed-up': { label: '记录跟进情况' },
  // County bureaus and city departments (party notices)
  'parties.notified': { label: '通知县级分局和市直部门' },
  'party.received': { label: '县级分局或市直部门签收通知' },
  'party.receipt.repeated': { label: '县级分局或市直部门重复签收' },
  'party.receipt.refused-staff': { label: '拒绝工作人员代县级分局或市直部门签收' },
  'party.overdue': { label: '县级分局或市直部门逾期未签收' },
  'parties.escalated': { label: '逾期未签收通报值班室' },
  // Messages
  'message.requeued': { label: '重新发送' },
  'messages.requeued-failed': { label: '重新发送全部失败消息' },
  'message.failed': { label: '消息发送失败' },
  // Sign-in and accounts
  'auth.login': { label: '登录' },
  'auth.login.failed': { label: '登录失败' },
  'auth.login.throttled': { label: '登录失败过多,暂停登录' },
  'auth.logout': { label: '退出登录' },
  'user.created': { label: '创建用户' },
  'user.updated': { label: '修改用户' },
  'user.password-reset': { label: '重置密码' },
  // Reference data
  'ruleset.created': { label: '新建规则集' },
  'ruleset.seeded': { label: '载入初始规则集' },
  'departments.updated': { label: '修改市直部门' },
  'enterprise.demo-seeded': { label: '载入演示企业' },
  'enterprise.created': { label: '新增企业' },
  'enterprise.updated': { label: '修改企业' },
  'enterprise.archived': { label: '归档企业' },
  'enterprise.import': { label: '导入减排清单' },
  'plan.replaced': { label: '更新减排措施' },
  'inventory.updated': { label: '更新排放清单' },
  'consultation.recorded': { label: '录入会商结果' },
  'consultation.heads-up.sent': { label: '发送预警提示' },
  // Inspections and consequences (issue 17)
  'inspection.plan-drawn': { label: '抽取现场检查名单' },
  'inspection.recorded': { label: '记录现场检查' },
  'inspection.photos-added': { label: '上传现场检查照片' },
  'inspection.rectification-closed': { label: '整改销号' },
  'grade-review.opened': { label: '列入绩效分级复核' },
  'grade-review.decided': { label: '绩效分级复核决定' },
  'enterprise.regraded': { label: '调整绩效等级' },
  // Telemetry (issue 17)
  'telemetry.points.replaced': { label: '更新计量点' },
  'telemetry.source.created': { label: '新建监测数据源' },
  'telemetry.source.revoked': { label: '吊销监测数据源密钥' },
  'telemetry.readings.imported': { label: '导入监测读数文件' },
  'telemetry.reconciled': { label: '核对监测数据与指令' },
  'telemetry.discrepancy-reviewed': { label: '核实监测数据异常' },
  'telemetry.demo-seeded': { label: '载入演示计量点和数据源' },
  // Standing conditions (issue 18)
  'standing-conditions.replaced': { label: '更新常态管控条件' },
  'standing-conditions.checked': { label: '核对常态管控条件' },
  'standing-conditions.demo-seeded': { label: '载入演示常态管控条件' },
  // The log itself
  'audit.anchored': { label: '锚定审计哈希链' },
  'audit.anchor.published': { label: '发布审计锚点' },
  'evidence.exported': { label: '导出证据包' },
  'evidence.manifest': { label: '证据包文件清单摘要入链' },
} as const satisfies Record<string, { label: string }>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, action);
}

/** The label of a stored action; an action no longer (or never) catalogued shows its code. */
export function auditActionLabel(action: string): string {
  return isAuditAction(action) ? AUDIT_ACTIONS[action].label : action;
}
