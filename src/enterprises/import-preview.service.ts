import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isUuid } from '../common/ids';
import { EnterpriseImportPreview } from './import-preview.entity';
import {
  type ImportPreview,
  type ImportResult,
  ReductionListService,
  type Upload,
} from './reduction-list.service';

/** How long an uploaded file waits for its 确认导入. */
export const PREVIEW_TTL_MS = 30 * 60 * 1000;

export interface StagedPreview {
  preview: ImportPreview;
  /** The confirm form's token; null when the preview has errors (nothing to confirm). */
  token: string | null;
}

/**
 * The console's two-step import: the upload is previewed and kept (bytes and digest) under a random token;
 * confirming imports those bytes, and only if the import would still do what the preview showed.
 */
@Injectable()
export class ImportPreviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reductionList: ReductionListService,
    private readonly clock: Clock,
  ) {}

  async stage(file: Upload, actor: Actor): Promise<StagedPreview> {
    const preview = await this.reductionList.previewFile(file);
    const repo = this.dataSource.getRepository(EnterpriseImportPreview);
    // Expired uploads go whenever someone uploads again: nothing else ever reads them.
    await repo.createQueryBuilder().delete().where('expires_at < :now', { now: this.clock.now() }).execute();
    if (!preview.digest || !actor.id) return { preview, token: null };
    const saved = await repo.save(
      repo.create({
        filename: file.originalname.slice(0, 255),
        content: file.buffer,
        digest: preview.digest,
        createdBy: actor.id,
        expiresAt: new Date(this.clock.now().getTime() + PREVIEW_TTL_MS),
      }),
    );
    return { preview, token: saved.id };
  }

  /**
   * Imports the staged file if the import would do exactly what was previewed (IMPORT_PREVIEW_STALE if not);
   * the staged file is removed in the import's transaction, so a second click imports nothing twice.
   */
  async confirm(token: string, actor: Actor): Promise<ImportResult> {
    const staged = await this.find(token, actor);
    return this.reductionList.importFile(
      { buffer: staged.content, originalname: staged.filename, size: staged.content.length },
      actor,
      {
        expectedDigest: staged.digest,
        within: async (m) => {
          const gone = await m.delete(EnterpriseImportPreview, { id: staged.id });
          if (!gone.affected) throw expired();
        },
      },
    );
  }

  /** A fresh preview of a staged file (after IMPORT_PREVIEW_STALE), replacing the old one. */
  async restage(token: string, actor: Actor): Promise<StagedPreview> {
    const staged = await this.find(token, actor);
    const next = await this.stage(
      { buffer: staged.content, originalname: staged.filename, size: staged.content.length },
      actor,
    );
    await this.dataSource.getRepository(EnterpriseImportPreview).delete({ id: staged.id });
    return next;
  }

  private async find(token: string, actor: Actor): Promise<EnterpriseImportPreview> {
    const staged =
      isUuid(token) && actor.id
        ? await this.dataSource
            .getRepository(EnterpriseImportPreview)
            .findOneBy({ id: token, createdBy: actor.id })
        : null;
    if (!staged || staged.expiresAt.getTime() <= this.clock.now().getTime()) throw expired();
    return staged;
  }
}

const expired = (): DomainError =>
  new DomainError('IMPORT_PREVIEW_EXPIRED', '预览已过期或已导入,请重新上传文件', [
    { field: 'token', message: '预览已失效' },
  ]);
