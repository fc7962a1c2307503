import type { AuditAction } from '../../src/audit/audit-actions';

/**
 * Tests record made-up `test.*` actions to fill the log; production code cannot (AuditRecord.action is typed by
 * the catalog in src/audit/audit-actions.ts), so the escape lives here, in test support only.
 */
export function testAction(action: `test.${string}`): AuditAction {
  return action as string as AuditAction;
}
