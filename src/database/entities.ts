import { Alert, AlertChange, AlertRevision } from '../alerts/alert.entity';
import { AuditAnchor, AuditChainHead, AuditEntry } from '../audit/audit-entry.entity';
import { LoginFailure } from '../auth/login-failure.entity';
import { LoginThrottle } from '../auth/login-throttle.entity';
import { User } from '../auth/user.entity';
import { UserSession } from '../auth/user-session.entity';
import { Consultation, ConsultationForecast, HeadsUp } from '../consultations/consultation.entity';
import { Directive } from '../directives/directive.entity';
import { DocumentNumberCounter } from '../documents/document-number.entity';
import { EmissionInventory } from '../enterprises/emission-inventory.entity';
import { Enterprise } from '../enterprises/enterprise.entity';
import { EnterpriseImport } from '../enterprises/enterprise-import.entity';
import { EnterpriseImportPreview } from '../enterprises/import-preview.entity';
import { Industry } from '../enterprises/industry.entity';
import { OutboxMessage, OutboxMessageHistory } from '../notifications/outbox-message.entity';
import { ReductionOrder } from '../orders/order.entity';
import { OrderFollowUp } from '../follow-ups/follow-up.entity';
import {
  GradeReview,
  Inspection,
  InspectionPhoto,
  InspectionPlan,
  InspectionPlanItem,
} from '../inspections/inspection.entity';
import { Department, PartyNotice } from '../parties/party-notice.entity';
import { PlanMeasure, PlanStartReduction, PlanVersion } from '../enterprises/plan.entity';
import { County } from '../regions/county.entity';
import { Ruleset } from '../rulesets/ruleset.entity';
import { MeteringPoint, TelemetrySource } from '../telemetry/telemetry.entity';

/** Every entity, listed explicitly so the app, the CLI and the tests load the same set. */
export const ENTITIES = [
  AuditEntry,
  AuditChainHead,
  AuditAnchor,
  County,
  Industry,
  Ruleset,
  User,
  UserSession,
  LoginFailure,
  LoginThrottle,
  Enterprise,
  PlanVersion,
  PlanMeasure,
  PlanStartReduction,
  EmissionInventory,
  EnterpriseImport,
  EnterpriseImportPreview,
  Consultation,
  ConsultationForecast,
  HeadsUp,
  Directive,
  Alert,
  AlertChange,
  AlertRevision,
  ReductionOrder,
  OutboxMessage,
  OutboxMessageHistory,
  DocumentNumberCounter,
  Department,
  PartyNotice,
  OrderFollowUp,
  InspectionPlan,
  InspectionPlanItem,
  Inspection,
  InspectionPhoto,
  GradeReview,
  MeteringPoint,
  TelemetrySource,
];
