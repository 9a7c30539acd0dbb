// A benchmark's committed result: bench/results/<lesson>.json, with its chart beside it. verify
// checks the readings' quoted ratios against it (scripts/course/quoted-figures.ts).
import { fileURLToPath } from 'node:url';
import type { ComparisonResult } from './compare.ts';

export interface BenchResult {
  version: 1;
  lesson: string;
  /** How to reproduce it. */
  command: string;
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  rounds: number;
  comparisons: ComparisonResult[];
}

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
export const resultFile = (lesson: string) => `${RESULTS_DIR}${lesson}.json`;
export const chartFile = (lesson: string) => `${RESULTS_DIR}${lesson}.svg`;
