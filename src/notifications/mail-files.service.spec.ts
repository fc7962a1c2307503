import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MailFileSystem, writeFileAtomically, type WritableFile } from './mail-files.service';

const enospc = () =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });

/** The real file system, except that the chosen step fails, as a full or failing disk makes it. */
class FailingFileSystem extends MailFileSystem {
  constructor(private readonly failAt: 'half-write' | 'sync' | 'rename' | null) {
    super();
  }

  override async create(file: string): Promise<WritableFile> {
    const real = await super.create(file);
    const failAt = this.failAt;
    return {
      async writeFile(data) {
        if (failAt !== 'half-write') return real.writeFile(data);
        // The disk fills up half-way: the first half really is on disk when the error comes.
        await real.writeFile(data.subarray(0, Math.floor(data.length / 2)));
        throw enospc();
      },
      async sync() {
        if (failAt === 'sync') throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        return real.sync();
      },
      close: () => real.close(),
    };
  }

  override rename(from: string, to: string): Promise<void> {
    if (this.failAt === 'rename') return Promise.reject(enospc());
    return super.rename(from, to);
  }
}

describe('writeFileAtomically', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-atomic-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const data = Buffer.from('Message-ID: <m@localhost>\n\n'.padEnd(64 * 1024, '测'));
  const file = () => path.join(dir, 'm@localhost.eml');

  it('writes the whole file under its name and leaves nothing else', async () => {
    await writeFileAtomically(new MailFileSystem(), file(), data);
    expect(fs.readdirSync(dir)).toEqual(['m@localhost.eml']);
    expect(fs.readFileSync(file()).equals(data)).toBe(true);
  });

  it('creates the directory when it is missing', async () => {
    const nested = path.join(dir, 'outbox', 'm@localhost.eml');
    await writeFileAtomically(new MailFileSystem(), nested, data);
    expect(fs.readFileSync(nested).length).toBe(data.length);
  });

  it.each(['half-write', 'sync', 'rename'] as const)(
    'leaves no file, partial or temporary, when the %s fails, and throws the disk error',
    async (failAt) => {
      await expect(writeFileAtomically(new FailingFileSystem(failAt), file(), data)).rejects.toMatchObject({
        code: failAt === 'sync' ? 'EIO' : 'ENOSPC',
      });
      expect(fs.readdirSync(dir)).toEqual([]);
    },
  );

  it('keeps an earlier complete file when writing it again fails', async () => {
    await writeFileAtomically(new MailFileSystem(), file(), data);
    await expect(
      writeFileAtomically(new FailingFileSystem('half-write'), file(), Buffer.from('other')),
    ).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(fs.readdirSync(dir)).toEqual(['m@localhost.eml']);
    expect(fs.readFileSync(file()).equals(data)).toBe(true);
  });
});
