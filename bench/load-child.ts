// The load generator's own process (bench/load.ts starts it): runs one bounded load against a
// loopback URL and prints the result as JSON, with the share of one core this process used, so
// the parent can tell whether the generator, not the server, was the limit.
import { runLoad, type LoadOptions } from '../shared/testing/load.ts';
import { cpuShare } from './load.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const cpuBefore = process.cpuUsage();
const result = await runLoad(options);
const cpu = process.cpuUsage(cpuBefore);
// Over the time the load ran (to the last response), not the wait for autocannon's next tick.
const generatorCpu = cpuShare(cpu, result.seconds);
process.stdout.write(JSON.stringify({ ...result, generatorCpu }));
