import cluster, { type Worker } from 'node:cluster';

/**
 * What the primary does when a worker exits: nothing while shutting down or after a clean exit, replace a worker
 * that crashed after it had been running, and stop everything when one cannot even start (a bad setting, the
 * database unreachable): the same answer a single process gives.
 */
export function afterWorkerExit(exit: {
  code: number | null;
  signal: string | null;
  /** Whether it had started serving (its port was listening): one that never did would fail again. */
  listened: boolean;
  shuttingDown: boolean;
}): 'none' | 'replace' | 'stop' {
  if (exit.shuttingDown) return 'none';
  if (exit.code === 0 && exit.signal === null) return 'none';
  return exit.listened ? 'replace' : 'stop';
}

interface Log {
  info(msg: string): void;
  error(msg: string): void;
}

/**
 * Runs `count` copies of the service (node:cluster: they share the HTTP port, the primary hands out connections)
 * and keeps them running. Every worker is a whole instance: the scheduled jobs' advisory locks and the outbox's
 * SKIP LOCKED make them one service, as with several machines. SIGTERM/SIGINT go to every worker, which finish
 * their requests and batches; the primary exits when the last has.
 */
export function superviseWebWorkers(count: number, log: Log): void {
  const listening = new Set<number>();
  // Counted here: cluster.workers may still list a worker when its 'exit' event comes.
  const alive = new Set<number>();
  let shuttingDown = false;
  let exitCode = 0;
  const fork = (): Worker => {
    const worker = cluster.fork();
    alive.add(worker.id);
    worker.once('listening', () => listening.add(worker.id));
    return worker;
  };
  const stopAll = (signal: NodeJS.Signals) => {
    shuttingDown = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
  };
  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker.id);
    const listened = listening.delete(worker.id);
    const next = afterWorkerExit({ code, signal, listened, shuttingDown });
    log.info(`web worker ${worker.process.pid} exited (${signal ?? code}): ${next}`);
    if (next === 'replace') fork();
    if (next === 'stop') {
      log.error('a web worker failed to start; stopping the others');
      exitCode = 1;
      stopAll('SIGTERM');
    }
    if (shuttingDown && alive.size === 0) process.exit(exitCode);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stopAll(signal));
  for (let i = 0; i < count; i++) fork();
  log.info(`${count} web workers started`);
}
