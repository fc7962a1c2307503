import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MailFileSystem, type WritableFile } from '../../src/notifications/mail-files.service';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { OutboxFilesService } from '../../src/notifications/outbox-files.service';
import { scenario } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The real file system, except while `full`: then every write gets half its bytes onto the disk and fails with
 * ENOSPC, as a disk that fills up mid-write does. (Disk space is outside our control; a tmpfs would need mount
 * rights that CI containers do not all grant, so the provider is where the disk is made full.)
 */
class FillingDisk extends MailFileSystem {
  full = false;
  refused = 0;

  override async create(file: string): Promise<WritableFile> {
    const real = await super.create(file);
    return {
      writeFile: async (data) => {
        if (!this.full) return real.writeFile(data);
        await real.writeFile(data.subarray(0, Math.floor(data.length / 2)));
        this.refused++;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
          errno: -28,
        });
      },
      sync: () => real.sync(),
      close: () => real.close(),
    };
  }
}

describe('demo outbox on a full disk', () => {
  const ENTERPRISES = 12;
  let t: TestApp;
  let dataDir: string;
  let alertId: string;
  const disk = new FillingDisk();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-disk-full-'));
    // No SMTP_URL: mail goes to .eml files under DATA_DIR/outbox.
    t = await createTestApp({
      env: { DATA_DIR: dataDir, MAIL_RETRY_BASE_MS: '1000', MAIL_MAX_ATTEMPTS: '8' },
      customise: (b) => b.overrideProvider(MailFileSystem).useValue(disk),
    });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const s = await scenario(t)
      .enterprises(
        Array.from({ length: ENTERPRISES }, (_, i) => ({ key: `e${i}` })),
        { via: 'service' },
      )
      .warning({ level: 'ORANGE', countyCodes: ['141181'], effectiveAt: '2026-11-28T20:00:00+08:00' })
      .approved();
    alertId = s.alertId;
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const outboxDir = () => path.join(dataDir, 'outbox');
  const filesInOutbox = () => (fs.existsSync(outboxDir()) ? fs.readdirSync(outboxDir()).sort() : []);
  const messages = () =>
    t.dataSource.query<Array<{ id: string; state: string; attempts: number; last_error: string | null }>>(
      'SELECT id, state, attempts, last_error FROM outbox_message WHERE alert_id = $1 ORDER BY id',
      [alertId],
    );
  const drain = () => t.app.get(OutboxDispatcher).drain();

  it('keeps every notice retryable while the disk is full, and leaves no empty, partial or temporary file', async () => {
    disk.full = true;
    expect(await drain()).toMatchObject({ claimed: ENTERPRISES, retrying: ENTERPRISES, failed: 0, sent: 0 });
    expect(disk.refused).toBe(ENTERPRISES);
    for (const m of await messages()) {
      expect(m).toMatchObject({ state: 'RETRYING', attempts: 1 });
      expect(m.last_error).toContain('ENOSPC');
    }
    expect(filesInOutbox()).toEqual([]);

    // Still full at the next attempt (after the backoff): still waiting, still nothing on disk.
    expect(await drain()).toMatchObject({ claimed: 0 });
    t.clock.advance(2_000);
    expect(await drain()).toMatchObject({ claimed: ENTERPRISES, retrying: ENTERPRISES, failed: 0 });
    expect(disk.refused).toBe(2 * ENTERPRISES);
    expect((await messages()).map((m) => [m.state, m.attempts])).toEqual(
      Array(ENTERPRISES).fill(['RETRYING', 2]),
    );
    expect(filesInOutbox()).toEqual([]);
  });

  it('sends every notice once the disk has room again, each as one complete .eml', async () => {
    disk.full = false;
    t.clock.advance(5_000);
    expect(await drain()).toMatchObject({ claimed: ENTERPRISES, sent: ENTERPRISES, failed: 0 });
    const sent = await messages();
    expect(sent.map((m) => [m.state, m.attempts])).toEqual(Array(ENTERPRISES).fill(['SENT', 3]));

    const files = filesInOutbox();
    expect(files).toEqual(sent.map((m) => `${m.id}@localhost.eml`).sort());
    const outboxFiles = t.app.get(OutboxFilesService);
    for (const m of sent) {
      const file = path.join(outboxDir(), `${m.id}@localhost.eml`);
      const eml = fs.readFileSync(file, 'utf8');
      expect(eml).toContain(`Message-ID: <${m.id}@localhost>`);
      const mail = await outboxFiles.read(m.id);
      expect(mail?.subject).toContain('橙色预警');
      expect(mail?.text).toContain('/ack/'); // the whole notice, down to the links at its end
    }
    const states = await t.dataSource.query<Array<{ state: string; n: number }>>(
      'SELECT state, count(*)::int AS n FROM reduction_order WHERE alert_id = $1 GROUP BY state',
      [alertId],
    );
    expect(states).toEqual([{ state: 'SENT', n: ENTERPRISES }]);
    const failedAudit = await t.dataSource.query<unknown[]>(
      `SELECT 1 FROM audit_entry WHERE action = 'message.failed'`,
    );
    expect(failedAudit).toEqual([]);
  });
});
