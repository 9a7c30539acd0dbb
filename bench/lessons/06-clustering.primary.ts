// The process lesson 06's benchmark starts: the lesson's primary with WORKERS workers of
// 06-clustering.worker.ts on PORT.
import { fileURLToPath } from 'node:url';
import { startPrimary } from '../../solutions/06-clustering/primary.ts';

startPrimary({ exec: fileURLToPath(new URL('./06-clustering.worker.ts', import.meta.url)), workers: Number(process.env.WORKERS), log: () => {} });
