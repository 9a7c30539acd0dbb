// Loaded before the primary (node --import): reports each fork and exit the cluster module sees,
// with the primary's clock, and can make this machine look like it has other cores than it has.
import cluster from 'node:cluster';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';

if (cluster.isPrimary) {
  const cores = Number(process.env.WORKBOOK_FIXTURE_CORES);
  const cpus = Number(process.env.WORKBOOK_FIXTURE_CPUS);
  if (cores > 0 && cpus > 0) {
    // availableParallelism() counts the cores this process may use; cpus() lists every core of
    // the machine (a container limited to 3 cores of a 64-core host sees 64).
    const real = os.cpus();
    os.availableParallelism = () => cores;
    os.cpus = () => Array.from({ length: cpus }, (_, i) => real[i % real.length]!);
    syncBuiltinESMExports();
  }
  const say = (line: string) => process.stdout.write(`@@cluster ${line} ${Date.now()}\n`);
  // Upper bounds on waits, judged in this process: at death i, a timer of overdueMs[i]; if it
  // fires before any worker was forked after that death (and the primary still runs), it says
  // "overdue i". Timers fire in the order they expire, so when a busy machine makes the
  // primary's own timer late, this one is later still: only a wait that was too long shows.
  const overdueMs = JSON.parse(process.env.WORKBOOK_FIXTURE_OVERDUE_MS ?? '{}') as Record<string, number>;
  let forks = 0;
  let deaths = 0;
  cluster.on('fork', (worker) => {
    forks += 1;
    say(`fork ${worker.process.pid}`);
  });
  cluster.on('exit', (worker, code, signal) => {
    say(`exit ${worker.process.pid} ${code} ${signal}`);
    const death = deaths++;
    const limit = overdueMs[death];
    if (limit === undefined) return;
    const forksAtDeath = forks;
    setTimeout(() => forks === forksAtDeath && say(`overdue ${death}`), limit).unref();
  });
}
