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
  cluster.on('fork', (worker) => say(`fork ${worker.process.pid}`));
  cluster.on('exit', (worker, code, signal) => say(`exit ${worker.process.pid} ${code} ${signal}`));
}
