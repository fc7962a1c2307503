import { Inject, Injectable } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { type AnchorHead, type AnchorReason, keyIdOf, signAnchor, SignedAnchor } from './anchor.rules';

interface LoadedKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
}

/**
 * Signs audit chain heads with an Ed25519 key kept in a file (AUDIT_ANCHOR_KEY_FILE), never in the database:
 * whoever can rewrite the database cannot sign a head that matches the rewrite. Generated on first use.
 */
@Injectable()
export class AnchorSigner {
  private key?: LoadedKey;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private load(): LoadedKey {
    if (this.key) return this.key;
    const file = this.config.anchors.signingKeyFile;
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      try {
        // 'wx': two instances starting together keep the first key written.
        fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
          mode: 0o600,
          flag: 'wx',
        });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const privateKey = createPrivateKey(fs.readFileSync(file, 'utf8'));
    const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    this.key = { privateKey, publicKeyPem, keyId: keyIdOf(publicKeyPem) };
    return this.key;
  }

  get keyId(): string {
    return this.load().keyId;
  }

  get publicKeyPem(): string {
    return this.load().publicKeyPem;
  }

  sign(
    head: AnchorHead,
    meta: { anchoredAt: Date; reason: AnchorReason; alertId?: string | null; manifestSha256?: string },
  ): SignedAnchor {
    return signAnchor(this.load(), head, meta);
  }
}

/**
 * The append-only file of published anchors (AUDIT_ANCHOR_FILE), one JSON line each, outside the database.
 * Each line is written with one append and flushed before the call returns.
 */
@Injectable()
export class AnchorFileStore {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async append(anchor: SignedAnchor): Promise<void> {
    const file = this.config.anchors.file;
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const handle = await fs.promises.open(file, 'a', 0o600);
    try {
      await handle.write(`${JSON.stringify(anchor)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /** The whole file ('' when nothing was published yet). */
  async read(): Promise<string> {
    try {
      return await fs.promises.readFile(this.config.anchors.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw e;
    }
  }
}
