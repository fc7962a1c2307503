import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's minimum parameters (19 MiB, 2 passes). @node-rs/argon2 ships prebuilt binaries
 * as platform packages, so no install script or compiler is needed (the `argon2` package's prebuild
 * crashed on these machines without its blocked install step).
 */
@Injectable()
export class PasswordHasher {
  private static readonly OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
  /** Verified against when the user does not exist, so timing does not reveal valid usernames. */
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, PasswordHasher.OPTIONS);
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (passwordHash === undefined) {
      this.dummyHash ??= this.hash('not-a-real-password');
      await verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }
}
