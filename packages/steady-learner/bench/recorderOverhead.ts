/**
 * The TrajectoryRecorder's own cost per step on the tfjs MLP path (bs 1): the same SGD loop, computing the step's
 * ε = |ŷ − y| in both variants, with and without `recordStep`. Two measures of the overhead, as a percentage of the
 * step: (a) the difference of the loops' CPU times (best of interleaved rounds), (b) the wall time spent inside the
 * recorder's calls (`recordStep`, `endEpoch`) over the loop's wall time, in the same run (median over rounds): (b)
 * is much less exposed to other jobs on a shared machine. Run alone with `node --import tsx bench/recorderOverhead.ts`;
 * `bench/index.ts` runs it too.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { SeededRandom } from '@lipkit/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { createTfMlp, type FrozenIdentityModel, PAPER_MLP_SHAPE, sgdStep, TrajectoryRecorder } from '../src/index.js';

/** CPU seconds (user + system) of `fn`: on a shared machine wall time also counts waiting for a core. */
export function cpuSeconds(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const dt = process.cpuUsage(t0);
  return (dt.user + dt.system) / 1e6;
}

/**
 * `n` SGD steps of the paper's MLP at bs 1 (ε computed every step); records them when a recorder is given.
 * Returns the loop's CPU seconds, and the wall-time fraction spent inside the recorder's calls.
 */
function tfLoop(
  model: FrozenIdentityModel,
  n: number,
  recorder?: TrajectoryRecorder,
): { cpu: number; recorderShare: number } {
  const r = new SeededRandom(3);
  const xs = Array.from({ length: 16 }, () =>
    tf.tensor2d(
      Float32Array.from({ length: 10 }, () => r.nextUniform(-5, 5)),
      [1, 10],
    ),
  );
  const y = tf.tensor1d([0.5]);
  recorder?.begin();
  recorder?.beginEpoch(1e-3);
  let inRecorder = 0;
  const wall0 = performance.now();
  const cpu = cpuSeconds(() => {
    for (let i = 0; i < n; i++) {
      const { output, loss } = sgdStep(model, xs[i % 16] as tf.Tensor, y, 1e-3, 'halfMse');
      const eps = tf.tidy(() => tf.abs(tf.sub(tf.reshape(output, []), 0.5)));
      if (recorder) {
        const t0 = performance.now();
        recorder.recordStep(eps);
        inRecorder += performance.now() - t0;
      }
      tf.dispose([output, loss, eps]);
    }
    // Both variants end with one device read: the recorder's epoch statistics, or b1 itself.
    if (recorder) {
      const t0 = performance.now();
      recorder.endEpoch();
      inRecorder += performance.now() - t0;
    } else model.b1.dataSync();
  });
  const wall = performance.now() - wall0;
  tf.dispose([...xs, y]);
  return { cpu, recorderShare: inRecorder / (wall - inRecorder) };
}

/** Rows `[benchmark, backend, per step, steps/s, note]` for cpu and wasm; variants interleaved, best of `rounds`. */
export async function recorderOverheadRows(n = 1000, rounds = 7): Promise<string[][]> {
  const rows: string[][] = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    await tf.setBackend(backend);
    await tf.ready();
    const model = createTfMlp(PAPER_MLP_SHAPE, new SeededRandom(1));
    const rec = new TrajectoryRecorder({ bias: model.b1 });
    tfLoop(model, 100);
    tfLoop(model, 100, rec);
    let plain = Number.POSITIVE_INFINITY;
    let withRec = Number.POSITIVE_INFINITY;
    const shares: number[] = [];
    for (let round = 0; round < rounds; round++) {
      plain = Math.min(plain, tfLoop(model, n).cpu);
      const r = tfLoop(model, n, rec);
      withRec = Math.min(withRec, r.cpu);
      shares.push(r.recorderShare);
    }
    const share = shares.sort((a, b) => a - b)[rounds >> 1] as number;
    rec.dispose();
    model.dispose();
    const us = (s: number) => `${((s / n) * 1e6).toFixed(0)} µs`;
    rows.push(['MLP tfjs SGD step + ε (bs 1)', backend, us(plain), (n / plain).toFixed(0), '']);
    rows.push([
      'MLP tfjs step + ε + recordStep',
      backend,
      us(withRec),
      (n / withRec).toFixed(0),
      `recorder overhead ${(((withRec - plain) / plain) * 100).toFixed(1)}% (CPU, A/B), ` +
        `${(share * 100).toFixed(1)}% (time inside its calls)`,
    ]);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  tf.env().set('IS_TEST', true);
  for (const r of await recorderOverheadRows()) process.stdout.write(`${r.join(' | ')}\n`);
}
