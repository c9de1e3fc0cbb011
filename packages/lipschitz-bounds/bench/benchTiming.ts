import { performance } from 'node:perf_hooks';

/** One benchmark row: a label and the median wall time in milliseconds. */
export interface BenchRow {
  task: string;
  method: string;
  medianMs: number;
  note?: string;
}

/** Median wall time (ms) of `repeats` runs of `run` after one warm-up run (skipped when `warmUp` is false). */
export function medianMs(run: () => unknown, repeats: number, warmUp = true): number {
  if (warmUp) run();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Prints rows as a Markdown table (paste-ready for the README). */
export function printTable(rows: BenchRow[]): void {
  console.log('| task | method | median | note |');
  console.log('|---|---|---|---|');
  for (const row of rows) {
    const time = row.medianMs >= 1000 ? `${(row.medianMs / 1000).toFixed(2)} s` : `${row.medianMs.toFixed(1)} ms`;
    console.log(`| ${row.task} | ${row.method} | ${time} | ${row.note ?? ''} |`);
  }
}
