import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { ALL_COUNTIES, type CountyScope, scopeCountiesParam, scopeSql } from '../auth/county-scope';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import type { Grade } from '../enterprises/enterprise.types';
import type { CloseRectificationDto, CreateInspectionDto } from './dto/inspection.dto';
import {
  closeProblems,
  INSPECTION_RESULT_NAMES,
  inspectedAtProblems,
  inspectionRefusal,
  inspectorScope,
  type InspectionResult,
  type Inspector,
  normaliseInspectors,
  opensGradeReview,
  photoProblems,
  photoType,
  rectificationProblems,
} from './inspection.rules';
import { PhotoStore } from './photo-store';

/** The order an inspection is of, with what the form and the rules need. */
export interface InspectionOrder {
  id: string;
  alertId: string;
  alertCode: string;
  enterpriseId: string;
  enterpriseName: string;
  grade: Grade;
  countyCode: string;
  state: string;
  /** When the order was written: its revision's approval. */
  writtenAt: Date;
  /** The warning's span, for whether a violation falls during it. */
  warningFrom: Date;
  warningTo: Date | null;
}

export interface PhotoView {
  n: number;
  mediaType: string;
  bytes: number;
  sha256: string;
  url: string;
}

export interface InspectionView {
  id: string;
  orderId: string;
  alertId: string;
  enterpriseId: string;
  enterpriseName: string;
  countyCode: string;
  inspectedAt: Date;
  inspectors: string[];
  findings: string;
  result: InspectionResult;
  resultName: string;
  rectification: {
    required: boolean;
    deadline: Date | null;
    closedAt: Date | null;
    note: string | null;
    closedBy: string | null;
  };
  photos: PhotoView[];
  /** The grade review the violation opened, if it did. */
  gradeReviewId: string | null;
  recordedBy: string;
  createdAt: Date;
}

/** An uploaded file as multer hands it over. */
export interface UploadedPhoto {
  buffer: Buffer;
  size: number;
  originalname?: string;
}

const SELECT_VIEW = `SELECT i.*, e.name AS enterprise_name, o.county_code,
                            (SELECT g.id FROM grade_review g WHERE g.inspection_id = i.id) AS grade_review_id,
                            COALESCE((SELECT jsonb_agg(jsonb_build_object('n', p.n, 'mediaType', p.media_type,
                                                                          'bytes', p.bytes, 'sha256', p.sha256) ORDER BY p.n)
                                        FROM inspection_photo p WHERE p.inspection_id = i.id), '[]'::jsonb) AS photos
                       FROM inspection i
                       JOIN reduction_order o ON o.id = i.order_id
                       JOIN enterprise e ON e.id = i.enterprise_id`;

function viewOf(r: Record<string, unknown>): InspectionView {
  const result = r.result as InspectionResult;
  const id = r.id as string;
  return {
    id,
    orderId: r.order_id as string,
    alertId: r.alert_id as string,
    enterpriseId: r.enterprise_id as string,
    enterpriseName: r.enterprise_name as string,
    countyCode: r.county_code as string,
    inspectedAt: r.inspected_at as Date,
    inspectors: r.inspectors as string[],
    findings: r.findings as string,
    result,
    resultName: INSPECTION_RESULT_NAMES[result],
    rectification: {
      required: r.rectification_required as boolean,
      deadline: (r.rectification_deadline as Date | null) ?? null,
      closedAt: (r.rectification_closed_at as Date | null) ?? null,
      note: (r.rectification_note as string | null) ?? null,
      closedBy: (r.rectification_closed_by_name as string | null) ?? null,
    },
    photos: (r.photos as Array<Omit<PhotoView, 'url'>>).map((p) => ({
      ...p,
      url: `/api/inspections/${id}/photos/${p.n}`,
    })),
    gradeReviewId: (r.grade_review_id as string | null) ?? null,
    recordedBy: r.recorded_by_name as string,
    createdAt: r.created_at as Date,
  };
}

/**
 * Inspections of orders (issue 17): the one writer of inspection, inspection_photo and grade_review's opening.
 * Each step (record, photos, closing the rectification) is audited in its transaction, so it shows in the warning's
 * timeline; a violation during the warning opens a grade review in the same transaction.
 */
@Injectable()
export class InspectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly photos: PhotoStore,
  ) {}

  /**
   * The order with its enterprise and warning; 404 when there is none, or it is outside the caller's counties (the
   * scope is in the SQL: another county's order answers as an unknown id, so ids tell nothing).
   */
  async order(
    orderId: string,
    scope: CountyScope = ALL_COUNTIES,
    m: EntityManager = this.dataSource.manager,
  ): Promise<InspectionOrder> {
    if (!isUuid(orderId)) throw DomainError.notFound('指令');
    const [r] = await m.query<Array<Record<string, unknown>>>(
      `SELECT o.id, o.alert_id, a.code AS alert_code, o.enterprise_id, e.name, e.grade, o.county_code, o.state,
              r.approved_at AS written_at, a.effective_at AS warning_from, a.lifted_at AS warning_to
         FROM reduction_order o
         JOIN enterprise e ON e.id = o.enterprise_id
         JOIN alert a ON a.id = o.alert_id
         JOIN alert_revision r ON r.id = o.revision_id
        WHERE o.id = $1 AND ${scopeSql('o.county_code', '$2')}`,
      [orderId, scopeCountiesParam(scope)],
    );
    if (!r) throw DomainError.notFound('指令');
    return {
      id: r.id as string,
      alertId: r.alert_id as string,
      alertCode: r.alert_code as string,
      enterpriseId: r.enterprise_id as string,
      enterpriseName: r.name as string,
      grade: r.grade as Grade,
      countyCode: r.county_code as string,
      state: r.state as string,
      writtenAt: r.written_at as Date,
      warningFrom: r.warning_from as Date,
      warningTo: (r.warning_to as Date | null) ?? null,
    };
  }

  /**
   * Records an inspection of an order: which orders they find is their scope's (404 outside it), who may is
   * `inspectionRefusal`'s to say (403); the time, the inspectors and
   * the rectification are checked (422 naming the field); a violation during the warning opens a grade review.
   */
  async record(
    orderId: string,
    input: CreateInspectionDto,
    who: Inspector,
    actor: Actor,
  ): Promise<InspectionView> {
    const order = await this.order(orderId, inspectorScope(who));
    const refusal = inspectionRefusal(who, order);
    if (refusal) throw new DomainError('FORBIDDEN', refusal);
    if (!actor.id) throw new DomainError('FORBIDDEN', '现场检查须由工作人员记录');
    const now = this.clock.now();
    const inspectedAt = new Date(input.inspectedAt);
    const inspectors = normaliseInspectors(input.inspectors);
    const findings = input.findings.trim();
    const problems = [
      ...inspectedAtProblems(inspectedAt, now, order.writtenAt),
      ...(inspectors.length ? [] : [{ field: 'inspectors', message: '检查人员至少需要1人' }]),
      ...(findings ? [] : [{ field: 'findings', message: '请填写检查情况' }]),
      ...rectificationProblems(input.result, input.rectification, inspectedAt),
    ];
    if (problems.length) throw DomainError.validation(problems);
    const required = input.rectification?.required === true;
    const deadline = required ? new Date(input.rectification!.deadline!) : null;
    return this.dataSource.transaction(async (m) => {
      const [{ id }] = await m.query<Array<{ id: string }>>(
        `INSERT INTO inspection (order_id, alert_id, enterprise_id, inspected_at, inspectors, findings, result,
                                 rectification_required, rectification_deadline, recorded_by_id, recorded_by_name,
                                 created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          order.id,
          order.alertId,
          order.enterpriseId,
          inspectedAt,
          inspectors,
          findings,
          input.result,
          required,
          deadline,
          actor.id,
          actor.name ?? '',
          now,
        ],
      );
      await this.audit.record(
        {
          actor,
          action: 'inspection.recorded',
          subjectType: 'inspection',
          subjectId: id,
          alertId: order.alertId,
          data: {
            inspectionId: id,
            orderId: order.id,
            enterpriseName: order.enterpriseName,
            inspectedAt,
            inspectors,
            findings,
            result: input.result,
            rectification: required ? { required, deadline } : { required: false },
          },
        },
        m,
      );
      if (opensGradeReview(input.result, inspectedAt, { from: order.warningFrom, to: order.warningTo })) {
        const [review] = await m.query<Array<{ id: string }>>(
          `INSERT INTO grade_review (enterprise_id, inspection_id, order_id, alert_id, grade_at_review, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [order.enterpriseId, id, order.id, order.alertId, order.grade, now],
        );
        await this.audit.record(
          {
            actor,
            action: 'grade-review.opened',
            subjectType: 'grade_review',
            subjectId: review.id,
            alertId: order.alertId,
            data: {
              gradeReviewId: review.id,
              inspectionId: id,
              orderId: order.id,
              enterpriseId: order.enterpriseId,
              enterpriseName: order.enterpriseName,
              grade: order.grade,
            },
          },
          m,
        );
      }
      return this.view(id, ALL_COUNTIES, m);
    });
  }

  /** One inspection; 404 when there is none, or its order is outside the caller's counties. */
  async get(id: string, scope: CountyScope = ALL_COUNTIES): Promise<InspectionView> {
    return this.view(id, scope);
  }

  private async view(
    id: string,
    scope: CountyScope = ALL_COUNTIES,
    m: EntityManager = this.dataSource.manager,
  ): Promise<InspectionView> {
    if (!isUuid(id)) throw DomainError.notFound('检查记录');
    const [row] = await m.query<Array<Record<string, unknown>>>(
      `${SELECT_VIEW} WHERE i.id = $1 AND ${scopeSql('o.county_code', '$2')}`,
      [id, scopeCountiesParam(scope)],
    );
    if (!row) throw DomainError.notFound('检查记录');
    return viewOf(row);
  }

  /** An order's inspections, newest first; 404 for an order outside the caller's counties. */
  async listForOrder(orderId: string, scope: CountyScope = ALL_COUNTIES): Promise<InspectionView[]> {
    await this.order(orderId, scope);
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `${SELECT_VIEW} WHERE i.order_id = $1 AND ${scopeSql('o.county_code', '$2')}
        ORDER BY i.inspected_at DESC, i.created_at DESC, i.id DESC LIMIT 500`,
      [orderId, scopeCountiesParam(scope)],
    );
    return rows.map(viewOf);
  }

  /**
   * Adds photos to an inspection: each a JPG, PNG or WebP by its first bytes, at most 10 MB (422 naming the photo
   * otherwise, nothing kept); numbered on from the last; kept in the PhotoStore; audited with their digests.
   */
  async addPhotos(
    inspectionId: string,
    files: readonly UploadedPhoto[],
    who: Inspector,
    actor: Actor,
  ): Promise<InspectionView> {
    const inspection = await this.view(inspectionId, inspectorScope(who));
    const refusal = inspectionRefusal(who, inspection);
    if (refusal) throw new DomainError('FORBIDDEN', refusal);
    return this.dataSource.transaction(async (m) => {
      // One upload at a time per inspection: the numbers follow on without a gap or a clash.
      await m.query('SELECT 1 FROM inspection WHERE id = $1 FOR UPDATE', [inspectionId]);
      const [{ last }] = await m.query<Array<{ last: number }>>(
        'SELECT COALESCE(max(n), 0)::int AS last FROM inspection_photo WHERE inspection_id = $1',
        [inspectionId],
      );
      const problems = photoProblems(
        files.map((f) => ({ size: f.size, head: f.buffer.subarray(0, 16) })),
        last,
      );
      if (problems.length) throw DomainError.validation(problems);
      const now = this.clock.now();
      const added: Array<{ n: number; mediaType: string; bytes: number; sha256: string }> = [];
      for (const [i, f] of files.entries()) {
        const type = photoType(f.buffer.subarray(0, 16))!;
        const n = last + i + 1;
        const sha256 = createHash('sha256').update(f.buffer).digest('hex');
        const key = await this.photos.put(inspectionId, n, type, f.buffer);
        await m.query(
          `INSERT INTO inspection_photo (inspection_id, n, media_type, bytes, sha256, storage_key, original_name,
                                         uploaded_by_name, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            inspectionId,
            n,
            type.mediaType,
            f.size,
            sha256,
            key,
            f.originalname ?? null,
            actor.name ?? '',
            now,
          ],
        );
        added.push({ n, mediaType: type.mediaType, bytes: f.size, sha256 });
      }
      await this.audit.record(
        {
          actor,
          action: 'inspection.photos-added',
          subjectType: 'inspection',
          subjectId: inspectionId,
          alertId: inspection.alertId,
          data: { inspectionId, enterpriseName: inspection.enterpriseName, photos: added },
        },
        m,
      );
      return this.view(inspectionId, ALL_COUNTIES, m);
    });
  }

  /**
   * One photo's bytes and type; 404 when the inspection or the photo is not there, or the inspection's order is
   * outside the caller's counties.
   */
  async photo(
    inspectionId: string,
    n: string,
    scope: CountyScope = ALL_COUNTIES,
  ): Promise<{ mediaType: string; bytes: Buffer }> {
    if (!isUuid(inspectionId) || !/^[1-9]\d{0,4}$/.test(n)) throw DomainError.notFound('照片');
    const [row] = await this.dataSource.query<Array<{ media_type: string; storage_key: string }>>(
      `SELECT p.media_type, p.storage_key
         FROM inspection_photo p
         JOIN inspection i ON i.id = p.inspection_id
         JOIN reduction_order o ON o.id = i.order_id
        WHERE p.inspection_id = $1 AND p.n = $2 AND ${scopeSql('o.county_code', '$3')}`,
      [inspectionId, Number(n), scopeCountiesParam(scope)],
    );
    if (!row) throw DomainError.notFound('照片');
    return { mediaType: row.media_type, bytes: await this.photos.get(row.storage_key) };
  }

  /** Closes (销号) an inspection's rectification: once, with a note, between the inspection and now. */
  async closeRectification(
    inspectionId: string,
    input: CloseRectificationDto,
    who: Inspector,
    actor: Actor,
  ): Promise<InspectionView> {
    const found = await this.view(inspectionId, inspectorScope(who));
    const refusal = inspectionRefusal(who, found);
    if (refusal) throw new DomainError('FORBIDDEN', refusal);
    const closedAt = new Date(input.closedAt);
    const note = input.note.trim();
    if (!note) throw DomainError.validation([{ field: 'note', message: '请填写销号说明' }]);
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<
        Array<{ rectification_required: boolean; rectification_closed_at: Date | null; inspected_at: Date }>
      >(
        'SELECT rectification_required, rectification_closed_at, inspected_at FROM inspection WHERE id = $1 FOR UPDATE',
        [inspectionId],
      );
      const problem = closeProblems(
        {
          rectificationRequired: row.rectification_required,
          rectificationClosedAt: row.rectification_closed_at,
          inspectedAt: row.inspected_at,
        },
        closedAt,
        this.clock.now(),
      );
      if (problem) throw new DomainError(problem.code, problem.message, problem.fields);
      await m.query(
        `UPDATE inspection SET rectification_closed_at = $2, rectification_note = $3, rectification_closed_by_name = $4
          WHERE id = $1`,
        [inspectionId, closedAt, note, actor.name ?? ''],
      );
      await this.audit.record(
        {
          actor,
          action: 'inspection.rectification-closed',
          subjectType: 'inspection',
          subjectId: inspectionId,
          alertId: found.alertId,
          data: { inspectionId, enterpriseName: found.enterpriseName, closedAt, note },
        },
        m,
      );
      return this.view(inspectionId, ALL_COUNTIES, m);
    });
  }
}
