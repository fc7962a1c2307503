import { Inject, Injectable } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import fs from 'node:fs';
import path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isUuid } from '../common/ids';

export interface OutboxFile {
  messageId: string;
  file: string;
  size: number;
  writtenAt: Date;
}

export interface RenderedMail {
  subject: string;
  from: string;
  to: string;
  date: Date | null;
  text: string;
  html: string | null;
}

/**
 * Demo mode's delivered mail: the .eml files the file transport wrote under DATA_DIR/outbox. Files are
 * named after the Message-ID (<message-uuid>@<domain>), so a message's file is found from its id.
 */
@Injectable()
export class OutboxFilesService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** True when mail goes to files rather than an SMTP server. */
  get enabled(): boolean {
    return !this.config.smtpUrl;
  }

  private get dir(): string {
    return path.join(this.config.dataDir, 'outbox');
  }

  async list(limit = 500): Promise<OutboxFile[]> {
    if (!this.enabled || !fs.existsSync(this.dir)) return [];
    const names = (await fs.promises.readdir(this.dir)).filter((n) => n.endsWith('.eml'));
    const files = await Promise.all(
      names.map(async (file) => {
        const st = await fs.promises.stat(path.join(this.dir, file));
        return { messageId: file.split('@')[0], file, size: st.size, writtenAt: st.mtime };
      }),
    );
    return files.sort((a, b) => b.writtenAt.getTime() - a.writtenAt.getTime()).slice(0, limit);
  }

  /** The message's .eml parsed, or null when it was not (or not yet) written. */
  async read(messageId: string): Promise<RenderedMail | null> {
    if (!this.enabled || !isUuid(messageId) || !fs.existsSync(this.dir)) return null;
    const file = (await fs.promises.readdir(this.dir)).find(
      (n) => n.startsWith(`${messageId}@`) && n.endsWith('.eml'),
    );
    if (!file) return null;
    const mail = await simpleParser(await fs.promises.readFile(path.join(this.dir, file)));
    const addresses = (a: typeof mail.to) =>
      Array.isArray(a) ? a.map((x) => x.text).join(', ') : (a?.text ?? '');
    return {
      subject: mail.subject ?? '',
      from: addresses(mail.from),
      to: addresses(mail.to),
      date: mail.date ?? null,
      text: mail.text ?? '',
      html: typeof mail.html === 'string' ? mail.html : null,
    };
  }
}
