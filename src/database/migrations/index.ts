import { Foundation1795867319605 } from './1795867319605-foundation.migration';
import { EnterpriseRegistry1795868332973 } from './1795868332973-enterprise-registry.migration';
import { AlertLifecycle1795870053308 } from './1795870053308-alert-lifecycle.migration';
import { OrdersOutbox1795870905159 } from './1795870905159-orders-outbox.migration';
import { CountyBureau1795872048818 } from './1795872048818-county-bureau.migration';
import { PlanLevelMeasures1795878069086 } from './1795878069086-plan-level-measures.migration';
import { AuditAnchor1795881567056 } from './1795881567056-audit-anchor.migration';
import { AuditHeadForwardOnly1795890000000 } from './1795890000000-audit-head-forward-only.migration';
import { LoginThrottle1795890312417 } from './1795890312417-login-throttle.migration';
import { TwoPersonAccounts1795890312418 } from './1795890312418-two-person-accounts.migration';
import { EpisodeSettings1795900000000 } from './1795900000000-episode-settings.migration';
import { Directives1795900000100 } from './1795900000100-directives.migration';
import { LeadTimeShort1795900000200 } from './1795900000200-lead-time-short.migration';
import { PlanChecks1795900000300 } from './1795900000300-plan-checks.migration';
import { HeadsUp1795900000400 } from './1795900000400-heads-up.migration';
import { DocumentNumbers1795900000500 } from './1795900000500-document-numbers.migration';
import { NoticeContents1795900000501 } from './1795900000501-notice-contents.migration';
import { Parties1795900000600 } from './1795900000600-parties.migration';
import { DepartmentDuties1795900000601 } from './1795900000601-department-duties.migration';
import { OrderSigners1795900000700 } from './1795900000700-order-signers.migration';
import { OrderFollowUps1795900000800 } from './1795900000800-order-follow-ups.migration';
import { AuditActorType1795900000900 } from './1795900000900-audit-actor-type.migration';
import { ImportPreview1795900001100 } from './1795900001100-import-preview.migration';
import { UserCounties1795900001200 } from './1795900001200-user-counties.migration';
import { Telemetry1795900001300 } from './1795900001300-telemetry.migration';
import { Inspections1795900001400 } from './1795900001400-inspections.migration';
import { Reconciliation1795900001500 } from './1795900001500-reconciliation.migration';
import { StandingConditions1795900001800 } from './1795900001800-standing-conditions.migration';
import { OrderEscalation1795900001900 } from './1795900001900-order-escalation.migration';
import { Campaigns1795900002000 } from './1795900002000-campaigns.migration';
import { OrderGradeTaken1795900002100 } from './1795900002100-order-grade-taken.migration';
import { OrderDuringWarning1795900002300 } from './1795900002300-order-during-warning.migration';
import { OutboxMessageAlertIndex1795900002400 } from './1795900002400-outbox-message-alert-index.migration';
import { OrderDuringWarningOrder1795900002500 } from './1795900002500-order-during-warning-order.migration';
import { PlanStartReduction1795900002600 } from './1795900002600-plan-start-reduction.migration';
import { AnalyzeTables1795900002700 } from './1795900002700-analyze-tables.migration';

/** Every migration in order. A new migration file must be added here (the CLI and tests use this list). */
export const MIGRATIONS: Array<new () => unknown> = [
  Foundation1795867319605,
  EnterpriseRegistry1795868332973,
  AlertLifecycle1795870053308,
  OrdersOutbox1795870905159,
  CountyBureau1795872048818,
  PlanLevelMeasures1795878069086,
  AuditAnchor1795881567056,
  AuditHeadForwardOnly1795890000000,
  LoginThrottle1795890312417,
  TwoPersonAccounts1795890312418,
  EpisodeSettings1795900000000,
  Directives1795900000100,
  LeadTimeShort1795900000200,
  PlanChecks1795900000300,
  HeadsUp1795900000400,
  DocumentNumbers1795900000500,
  NoticeContents1795900000501,
  Parties1795900000600,
  DepartmentDuties1795900000601,
  OrderSigners1795900000700,
  OrderFollowUps1795900000800,
  AuditActorType1795900000900,
  ImportPreview1795900001100,
  UserCounties1795900001200,
  Telemetry1795900001300,
  Inspections1795900001400,
  Reconciliation1795900001500,
  StandingConditions1795900001800,
  OrderEscalation1795900001900,
  Campaigns1795900002000,
  OrderGradeTaken1795900002100,
  OrderDuringWarning1795900002300,
  OutboxMessageAlertIndex1795900002400,
  OrderDuringWarningOrder1795900002500,
  PlanStartReduction1795900002600,
  AnalyzeTables1795900002700,
];
