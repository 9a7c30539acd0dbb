// doctor: is this machine ready for the course? Node, the services the tests would use (and
// why other sources were skipped), the generated Prisma client; a fix for each problem.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { diagnoseServices } from '../../shared/testing/services/index.ts';
import type { Command } from './command.ts';

const NODE_MINIMUM = [20, 19] as const;

export const doctor: Command = {
  name: 'doctor',
  summary: 'check Node, PostgreSQL, Redis and the Prisma client, with a fix for each problem',
  usage: 'doctor',
  async run({ root }) {
    const problems: string[] = [];
    const line = (ok: boolean, text: string, fix?: string) => {
      console.log(`${ok ? '✓' : '✗'} ${text}`);
      if (!ok && fix) problems.push(fix);
    };

    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const nodeOk = major > NODE_MINIMUM[0] || (major === NODE_MINIMUM[0] && minor >= NODE_MINIMUM[1]);
    line(nodeOk, `Node ${process.version} (the course needs ${NODE_MINIMUM.join('.')} or newer)`, 'Install Node 20.19+, 22 or 24 (e.g. with nvm: nvm install 22).');

    const services = await diagnoseServices();
    for (const [name, diagnosis] of Object.entries(services)) {
      line(Boolean(diagnosis.source), `${name}: ${diagnosis.source ?? 'no server found'}`);
      for (const skipped of diagnosis.skipped) console.log(`    skipped ${skipped}`);
    }
    for (const diagnosis of Object.values(services)) {
      if (diagnosis.deadUrl) problems.push(`${diagnosis.deadUrl} is set but nothing answers there: fix the URL, start that server, or unset ${diagnosis.deadUrl}.`);
    }
    if (Object.values(services).some((diagnosis) => !diagnosis.source && !diagnosis.deadUrl)) {
      problems.push(
        'Give the tests a PostgreSQL and a Redis, one of three ways: start Docker; or set DATABASE_URL and REDIS_URL; ' +
          'or run PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379.',
      );
    }

    const client = path.join(root, 'shared/db/generated/client.ts');
    line(existsSync(client), `Prisma client ${existsSync(client) ? 'generated' : 'missing'} (shared/db/generated/)`, 'Run npm install (it generates the client), or node scripts/generate-prisma-client.mjs.');

    if (problems.length === 0) {
      console.log('\nReady. Start with npm start.');
      return 0;
    }
    console.log(`\n${problems.length === 1 ? 'One thing' : `${problems.length} things`} to fix:`);
    problems.forEach((problem, i) => console.log(`  ${i + 1}. ${problem}`));
    return 1;
  },
};
