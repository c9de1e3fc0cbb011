import { performance } from 'node:perf_hooks';

/** Wall and CPU time (ms) of one run. CPU time is the fairer figure on a machine shared with other jobs. */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Median wall and CPU times of `repeats` runs of `run`, after one warm-up run. */
export function medianTiming(run: () => unknown, repeats: number): Timing {
  run();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    run();
    walls.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { wallMs: median(walls), cpuMs: median(cpus) };
}

/** "1.23 s" or "456.7 ms". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}
