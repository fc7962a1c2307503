import { startWorkerThread } from '../common/process/worker-thread';
import type { VerifyState } from './audit-chain';
import type { AuditRange } from './audit-range.verifier';

/** Verifies one range of the audit log in a worker thread (audit-verify.worker) on its own connection to `url`. */
export function verifyRangeInWorker(url: string, range: AuditRange, pageSize: number): Promise<VerifyState> {
  const worker = startWorkerThread(__filename, 'audit-verify.worker', { url, range, pageSize });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { state?: VerifyState; error?: string }) =>
      m.state ? resolve(m.state) : reject(new Error(`audit verification worker: ${m.error}`)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`audit verification worker exited with code ${code}`)));
  });
}
