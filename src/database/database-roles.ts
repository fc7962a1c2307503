/**
 * Least privilege for the service's database login. The schema belongs to the owner login that runs the
 * migrations; the service's login owns nothing, may read and write the business tables, and may only
 * INSERT and SELECT on the audit log, so it cannot change or remove history and, not being the owner or a
 * superuser, cannot disable the append-only triggers (nor `SET session_replication_role`).
 */

/** Tables nobody but a superuser may change once written. */
export const APPEND_ONLY_TABLES = ['audit_entry', 'audit_anchor'] as const;

/** Tables the service reads but never writes. */
const READ_ONLY_TABLES = ['schema_migration'] as const;

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The statements that give `role` exactly the service's rights on the current schema (idempotent). */
export function serviceRoleGrants(role: string): string[] {
  const r = ident(role);
  const appendOnly = APPEND_ONLY_TABLES.map(ident).join(', ');
  const readOnly = READ_ONLY_TABLES.map(ident).join(', ');
  return [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `REVOKE CREATE ON SCHEMA public FROM ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON ${appendOnly} FROM ${r}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON ${readOnly} FROM ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
  ];
}

/** Applies the grants as the owner. Run after every migration run, so new tables are covered. */
export async function grantServiceRole(query: Query, role: string): Promise<void> {
  for (const sql of serviceRoleGrants(role)) await query(sql);
}

export interface ServiceRoleCheck {
  role: string;
  superuser: boolean;
  /** The login owns an append-only table, or may UPDATE/DELETE/TRUNCATE one: the log is not protected. */
  canRewriteAudit: boolean;
}

/** What the connected login could do to the audit log; the service warns at start when it could rewrite it. */
export async function checkServiceRole(query: Query): Promise<ServiceRoleCheck> {
  const rows = (await query(
    `SELECT current_user AS role,
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            bool_or(pg_has_role(current_user, c.relowner, 'USAGE')
                    OR has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE')
                    OR has_table_privilege(c.oid, 'TRUNCATE')) AS can_rewrite
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = ANY($1::text[])`,
    [[...APPEND_ONLY_TABLES]],
  )) as Array<{ role: string; superuser: boolean; can_rewrite: boolean | null }>;
  const [row] = rows;
  return { role: row.role, superuser: row.superuser, canRewriteAudit: row.superuser || !!row.can_rewrite };
}

/** The user name of a postgres:// URL. */
export function loginOf(url: string): string {
  const user = decodeURIComponent(new URL(url).username);
  if (!user) throw new Error('the database URL names no user');
  return user;
}
