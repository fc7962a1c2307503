import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { documentYear, formatDocumentNumber } from './document-number.rules';

/** The only writer of document_number_counter: gives each released notice its 文号. */
@Injectable()
export class DocumentNumbersService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * The next number of the release's Beijing year, in the caller's (releasing) transaction. Its row stays locked
   * until that transaction ends, so numbers are handed out in commit order and a rollback returns its number;
   * take it late in the transaction, after the checks that may refuse the release.
   */
  async next(m: EntityManager, releasedAt: Date, series?: string): Promise<string> {
    // A campaign's notices have a series of their own (吕错峰〔2026〕1号); everything else the configured one.
    const prefix = series ?? this.config.documents.numberPrefix;
    const year = documentYear(releasedAt);
    const [row] = await m.query<Array<{ last_number: number }>>(
      `INSERT INTO document_number_counter (prefix, year, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (prefix, year) DO UPDATE SET last_number = document_number_counter.last_number + 1
       RETURNING last_number`,
      [prefix, year],
    );
    return formatDocumentNumber(prefix, year, row.last_number);
  }
}
