import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import type { DepartmentDto, DepartmentInputDto } from './dto/department.dto';
import { Department } from './party-notice.entity';

const view = (d: Department): DepartmentDto => ({
  code: d.code,
  name: d.name,
  email: d.email,
  phone: d.phone,
  sort: d.sortOrder,
  active: d.active,
});

/** The city departments (reference data), kept by the admin as one list. */
@Injectable()
export class DepartmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<DepartmentDto[]> {
    const rows = await this.dataSource
      .getRepository(Department)
      .find({ order: { active: 'DESC', sortOrder: 'ASC', code: 'ASC' } });
    return rows.map(view);
  }

  /**
   * Saves the whole list: listed departments are added or updated (and active), the others stay for the notices
   * they received but are sent no new ones. One audit entry with the list before and after.
   */
  async replace(items: DepartmentInputDto[], actor: Actor): Promise<DepartmentDto[]> {
    const seen = new Map<string, number>();
    const errors = items.flatMap((d, i) => {
      const first = seen.get(d.code);
      seen.set(d.code, first ?? i);
      return first === undefined
        ? []
        : [{ field: `departments[${i}].code`, message: `部门代码 ${d.code} 重复` }];
    });
    if (errors.length) throw DomainError.validation(errors);
    const clean = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v.trim());
    await this.dataSource.transaction(async (m) => {
      await m.query('LOCK TABLE department IN SHARE ROW EXCLUSIVE MODE');
      const before = (await m.getRepository(Department).find({ order: { code: 'ASC' } })).map(view);
      await m.query(
        `INSERT INTO department (code, name, email, phone, sort_order, active, updated_at)
         SELECT u.code, u.name, u.email, u.phone, u.sort, true, now()
           FROM unnest($1::varchar[], $2::text[], $3::text[], $4::text[], $5::int[]) AS u(code, name, email, phone, sort)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, phone = EXCLUDED.phone,
           sort_order = EXCLUDED.sort_order, active = true, updated_at = now()`,
        [
          items.map((d) => d.code),
          items.map((d) => d.name.trim()),
          items.map((d) => clean(d.email)?.toLowerCase() ?? null),
          items.map((d) => clean(d.phone)),
          items.map((d) => d.sort),
        ],
      );
      await m.query(
        'UPDATE department SET active = false, updated_at = now() WHERE active AND NOT (code = ANY($1::varchar[]))',
        [items.map((d) => d.code)],
      );
      const after = (await m.getRepository(Department).find({ order: { code: 'ASC' } })).map(view);
      await this.audit.record(
        { actor, action: 'departments.updated', subjectType: 'department', data: { before, after } },
        m,
      );
    });
    return this.list();
  }
}
