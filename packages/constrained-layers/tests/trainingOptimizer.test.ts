/** Each optimiser against a float64 re-statement of its formula (spec §9.3) over three steps. */
import { describeEachBackend, tensorCountsOver } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createTrainingOptimizer, type OptimizerName, TrainingConfigError } from '../src/index.js';

const W0 = [
  [0.5, -1.0, 2.0, 0.25],
  [0.0, 0.0, 0.0],
];
/** Gradients per step and parameter; step 2 gives the zero parameter a zero gradient (trust-ratio edge case). */
const GRADS = [
  [
    [0.1, 0.2, -0.3, 0.4],
    [1, -2, 0.5],
  ],
  [
    [-0.5, 0.1, 0.0, 0.2],
    [0, 0, 0],
  ],
  [
    [0.3, -0.1, 0.2, -0.4],
    [0.25, 0.5, -1],
  ],
];
const LRS = [0.1, 0.05, 0.02];

const norm = (a: number[]) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

/** Float64 reference: returns the parameters after all steps. */
function reference(name: OptimizerName, momentum: number, wd: number): number[][] {
  const w = W0.map((p) => [...p]);
  const buf = W0.map((p) => p.map(() => 0));
  const m = W0.map((p) => p.map(() => 0));
  const v = W0.map((p) => p.map(() => 0));
  GRADS.forEach((gs, s) => {
    const t = s + 1;
    const lr = LRS[s]!;
    gs.forEach((g, i) => {
      const wi = w[i]!;
      if (name === 'sgd') {
        const d = g.map((x, k) => x + wd * wi[k]!);
        buf[i] = buf[i]!.map((b, k) => momentum * b + d[k]!);
        w[i] = wi.map((x, k) => x - lr * buf[i]![k]!);
      } else if (name === 'lars') {
        const wn = norm(wi);
        const gn = norm(g);
        const trust = wn > 0 && gn > 0 ? (0.001 * wn) / (gn + 1e-8) : 1;
        buf[i] = buf[i]!.map((b, k) => momentum * b + trust * g[k]!);
        w[i] = wi.map((x, k) => x - lr * buf[i]![k]!);
      } else {
        const [b1, b2, eps] = name === 'adam' ? [0.9, 0.999, 1e-8] : [0.9, 0.999, 1e-6];
        m[i] = m[i]!.map((x, k) => b1 * x + (1 - b1) * g[k]!);
        v[i] = v[i]!.map((x, k) => b2 * x + (1 - b2) * g[k]! ** 2);
        const u = m[i]!.map((x, k) => x / (1 - b1 ** t) / (Math.sqrt(v[i]![k]! / (1 - b2 ** t)) + eps));
        const trust = name === 'lamb' && norm(wi) > 0 && norm(u) > 0 ? norm(wi) / norm(u) : 1;
        w[i] = wi.map((x, k) => x - lr * trust * u[k]!);
      }
    });
  });
  return w;
}

describeEachBackend('training optimisers', () => {
  for (const name of ['sgd', 'adam', 'lars', 'lamb'] as const) {
    it(`${name} follows its formula for three steps`, async () => {
      const params = W0.map((p, i) => ({ name: `p${i}`, variable: tf.variable(tf.tensor1d(p)) }));
      const opt = createTrainingOptimizer(name, params, { momentum: 0.8, weightDecay: 0.01 });
      for (let s = 0; s < GRADS.length; s++) {
        const grads = GRADS[s]!.map((g) => tf.tensor1d(g));
        opt.applyGradients(grads, LRS[s]!);
        tf.dispose(grads);
      }
      const want = reference(name, 0.8, name === 'sgd' ? 0.01 : 0);
      for (let i = 0; i < params.length; i++) {
        const got = Array.from(await params[i]!.variable.data());
        got.forEach((x, k) => {
          expect(x).toBeCloseTo(want[i]![k]!, 5);
        });
      }
      expect(opt.stateVariables().map((s) => s.name)).toEqual(
        name === 'sgd' || name === 'lars' ? ['p0/momentum', 'p1/momentum'] : ['p0/m', 'p1/m', 'p0/v', 'p1/v', 'step'],
      );
      opt.dispose();
      tf.dispose(params.map((p) => p.variable));
    });
  }

  it('skips parameters without a gradient and leaks no tensors', async () => {
    const params = W0.map((p, i) => ({ name: `p${i}`, variable: tf.variable(tf.tensor1d(p)) }));
    const opt = createTrainingOptimizer('lamb', params);
    const g = tf.tensor1d([1, 1, 1, 1]);
    const counts = await tensorCountsOver(() => opt.applyGradients([g, undefined], 0.01), 5);
    expect(new Set(counts).size).toBe(1);
    expect(Array.from(await params[1]!.variable.data())).toEqual([0, 0, 0]);
    opt.dispose();
    tf.dispose([g, ...params.map((p) => p.variable)]);
  });
});

it('rejects an unknown optimiser naming the flag and the allowed values', () => {
  expect(() => createTrainingOptimizer('rmsprop' as OptimizerName, [])).toThrow(TrainingConfigError);
  expect(() => createTrainingOptimizer('rmsprop' as OptimizerName, [])).toThrow(
    /--optimizer: unknown optimiser 'rmsprop'; allowed: sgd, adam, lars, lamb/,
  );
});
