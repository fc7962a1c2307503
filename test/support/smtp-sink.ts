import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface SmtpSink {
  port: number;
  url: string;
  /** Parsed messages in arrival order. */
  messages: ParsedMail[];
  /** Messages accepted (counted even when parsing is off). */
  readonly received: number;
  /** Messages whose acceptance has been answered (received minus answered: in flight at the server). */
  readonly answered: number;
  /** Resolves once at least `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server in the test process. `rejectRcpt` decides per recipient (e.g. 550 for a bad
 * address, 451 to force a retry); deciding per recipient keeps parallel sends deterministic.
 */
export async function startSmtpSink(
  opts: {
    parse?: boolean;
    port?: number;
    delayMs?: number;
    /** A code to refuse the recipient with (or undefined to accept), possibly decided later (a Promise). */
    rejectRcpt?: (address: string) => number | undefined | Promise<number | undefined>;
  } = {},
): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  let received = 0;
  let answered = 0;
  const waiters: Array<() => void> = [];
  const notify = () => waiters.splice(0).forEach((w) => w());

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // A pooled client keeps connections open: closing must not wait for it.
    closeTimeout: 50,
    size: 10 * 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const answer = (code: number | undefined) => {
        if (!code) return callback();
        const error = new Error(code >= 500 ? 'mailbox unavailable' : 'try again later') as Error & {
          responseCode: number;
        };
        error.responseCode = code;
        callback(error);
      };
      const code = opts.rejectRcpt?.(address.address);
      if (code instanceof Promise) void code.then(answer);
      else answer(code);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received++;
        let done = () => {
          answered++;
          callback();
          notify();
        };
        if (opts.delayMs) {
          // Holds the reply (the server's acceptance) so messages stay in flight, as on a slow server.
          const reply = done;
          done = () => setTimeout(reply, opts.delayMs);
        }
        if (opts.parse === false) return done();
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => messages.push(parsed))
          .then(done, (e: Error) => callback(e));
      });
    },
  });
  // A client killed mid-conversation (the SIGKILL tests) resets its socket; smtp-server re-emits that as an
  // 'error' on the server, which would otherwise be an uncaught exception in the test process.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get received() {
      return received;
    },
    get answered() {
      return answered;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`SMTP sink: expected ${count} messages, got ${received}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
