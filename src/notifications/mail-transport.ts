import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MailFileSystem, writeFileAtomically } from './mail-files.service';

export interface OutgoingMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Answers go to the duty office, not to the no-reply sender. */
  replyTo?: string;
}

/** The one way mail leaves the service. Resolves once the server (or the file) has accepted the message. */
export abstract class MailTransport {
  abstract send(mail: OutgoingMail): Promise<void>;
  /** Where mail goes, for logs and the console. */
  abstract describe(): string;
}

/** SMTP_URL set: a pooled nodemailer transport (reconnects by itself when the server comes back). */
export class SmtpMailTransport extends MailTransport implements OnModuleDestroy {
  private readonly transporter: Transporter;

  constructor(
    private readonly url: string,
    opts: { maxConnections: number },
  ) {
    super();
    const u = new URL(url);
    this.transporter = nodemailer.createTransport({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
      secure: u.protocol === 'smtps:',
      auth: u.username
        ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
        : undefined,
      ignoreTLS: u.searchParams.get('ignoreTLS') === 'true',
      pool: true,
      maxConnections: opts.maxConnections,
      maxMessages: Infinity,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    // base64 rather than quoted-printable: Chinese text is a third the size and Node encodes it natively.
    await this.transporter.sendMail({
      ...mail,
      textEncoding: 'base64',
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  }

  describe(): string {
    const u = new URL(this.url);
    return `SMTP ${u.hostname}:${u.port}`;
  }

  onModuleDestroy(): void {
    this.transporter.close();
  }
}

/**
 * No SMTP_URL (demo mode): each message becomes an .eml file under DATA_DIR/outbox, listed by the API. Written all or
 * nothing (temporary file, fsync, rename), so a full disk leaves no empty or partial .eml; its error (ENOSPC …) is
 * transient for the dispatcher, which tries again later.
 */
export class FileMailTransport extends MailTransport {
  private readonly transporter = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });

  constructor(
    readonly dir: string,
    private readonly files: MailFileSystem,
  ) {
    super();
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.transporter.sendMail(mail)) as { message: Buffer };
    const file = path.join(
      this.dir,
      `${mail.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9@._-]/g, '_')}.eml`,
    );
    await writeFileAtomically(this.files, file, info.message);
  }

  describe(): string {
    return `files in ${this.dir}`;
  }
}

@Injectable()
export class MailTransportFactory {
  private readonly logger = new Logger(MailTransportFactory.name);
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly files: MailFileSystem,
  ) {}

  create(): MailTransport {
    const transport = this.config.smtpUrl
      ? new SmtpMailTransport(this.config.smtpUrl, { maxConnections: this.config.mail.maxConnections })
      : new FileMailTransport(path.join(this.config.dataDir, 'outbox'), this.files);
    this.logger.log(`mail goes to ${transport.describe()}`);
    return transport;
  }
}
