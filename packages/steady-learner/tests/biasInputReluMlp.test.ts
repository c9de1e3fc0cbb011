import { SeededRandom } from '@lipkit/datasets';
import { describeEachBackend, tensorCountsOver } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  BiasInputReluMlp,
  biasInputReluMlpParamCount,
  MLP_RUN_DEFAULTS,
  normalisedSteps,
  PAPER_MLP_SHAPE,
  PAPER_MLP2_SHAPE,
  runMlpTrajectory,
  sgdStep,
  tfMlpFromParams,
} from '../src/index.js';

function randomInputs(n: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n * 10 }, () => r.nextUniform(-8, 8));
}

it('parameter counts: MLP 2,507 and MLP2 395', () => {
  expect(biasInputReluMlpParamCount(PAPER_MLP_SHAPE)).toBe(2507);
  expect(biasInputReluMlpParamCount(PAPER_MLP2_SHAPE)).toBe(395);
});

it('test 3: the mask-product Jacobian equals a finite-difference input gradient (typed-array path)', () => {
  const net = BiasInputReluMlp.pytorchInit(PAPER_MLP_SHAPE, new SeededRandom(7));
  const xs = randomInputs(20, 8);
  const g = new Float64Array(10);
  for (let p = 0; p < 20; p++) {
    const x = xs.subarray(p * 10, p * 10 + 10);
    net.forward(x);
    const norm = net.inputGradient(g);
    // Explicit mask product W_L S ⋯ S_1 I, built from the activation masks (independent of backpropagate).
    net.forward(x);
    const masks = net.activationMasks();
    let row = Float64Array.from(net.weights[net.weights.length - 1] as Float64Array);
    for (let l = net.weights.length - 2; l >= -1; l--) {
      const mask = masks[l + 1] as Uint8Array;
      row = row.map((v, i) => v * (mask[i] as number));
      if (l < 0) break;
      const W = net.weights[l] as Float64Array;
      const nIn = net.widths[l] as number;
      const next = new Float64Array(nIn);
      for (let o = 0; o < row.length; o++)
        for (let i = 0; i < nIn; i++) next[i] = (next[i] as number) + (row[o] as number) * (W[o * nIn + i] as number);
      row = next;
    }
    for (let i = 0; i < 10; i++) expect(row[i]).toBeCloseTo(g[i] as number, 12);
    expect(norm).toBeCloseTo(Math.hypot(...row), 12);
    // Central differences (ReLU nets are piecewise linear: exact unless a kink is crossed).
    const h = 1e-6;
    for (let i = 0; i < 10; i++) {
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      xp[i] = (xp[i] as number) + h;
      xm[i] = (xm[i] as number) - h;
      expect((net.forward(xp) - net.forward(xm)) / (2 * h)).toBeCloseTo(g[i] as number, 5);
    }
  }
});

describeEachBackend('typed-array MLP cross-checked against tfjs', () => {
  it('forward and test 1: ∇_b1 f == ∇_x f (autograd) at 100 random x', () => {
    const net = BiasInputReluMlp.pytorchInit(PAPER_MLP_SHAPE, new SeededRandom(3));
    const model = tfMlpFromParams(PAPER_MLP_SHAPE, net.params());
    const xs = randomInputs(100, 4);
    const [gx, gb, out] = tf.tidy(() => {
      const x = tf.tensor2d(xs, [100, 10]);
      const gradX = tf.grad((xx: tf.Tensor) => tf.sum(model.predict(xx)))(x);
      // ∇_b1 per sample: differentiate one sample at a time w.r.t. b1.
      const rows: tf.Tensor[] = [];
      for (let p = 0; p < 100; p++) {
        const xp = tf.slice(x, [p, 0], [1, 10]);
        rows.push(
          tf.variableGrads(() => tf.sum(model.predict(xp)) as tf.Scalar, [model.b1]).grads[model.b1.name] as tf.Tensor,
        );
      }
      return [gradX.dataSync(), tf.stack(rows).dataSync(), model.predict(x).dataSync()];
    });
    const g = new Float64Array(10);
    for (let p = 0; p < 100; p++) {
      const f = net.forward(xs, p * 10);
      net.inputGradient(g);
      expect(Math.abs(f - (out[p] as number))).toBeLessThan(1e-4);
      for (let i = 0; i < 10; i++) {
        expect(Math.abs((gx[p * 10 + i] as number) - (gb[p * 10 + i] as number))).toBeLessThan(1e-6);
        expect(Math.abs((gx[p * 10 + i] as number) - (g[i] as number))).toBeLessThan(1e-5);
      }
    }
    model.dispose();
  });

  it('test 2: one SGD step gives ‖Δb1‖/(η|ŷ − y|) == ‖∇_x f(x)‖ (pre-update), in tfjs and in the typed path', () => {
    const r = new SeededRandom(11);
    for (let trial = 0; trial < 5; trial++) {
      const net = BiasInputReluMlp.pytorchInit(PAPER_MLP_SHAPE, r);
      const model = tfMlpFromParams(PAPER_MLP_SHAPE, net.params());
      const x = randomInputs(1, 100 + trial);
      const y = 0.3;
      const eta = 1e-3;
      const f = net.forward(x);
      const lip = net.inputGradient();
      const b0 = Float64Array.from(net.b1);
      net.accumulateGradient(f - y);
      net.applySgd(eta);
      const dTyped = Math.hypot(...net.b1.map((v, i) => v - (b0[i] as number)));
      expect(Math.abs(dTyped / (eta * Math.abs(f - y)) / lip - 1)).toBeLessThan(1e-10);
      // tfjs (float32): the same identity from one tfjs SGD step. The identity holds for any η; a larger η keeps the
      // float32 difference b_after − b_before (b ≈ 0.3) from cancelling most of its digits.
      const etaTf = 0.1;
      const before = model.b1.dataSync().slice();
      const { output, loss } = sgdStep(model, tf.tensor2d(x, [1, 10]), tf.tensor1d([y]), etaTf, 'halfMse');
      const yhat = output.dataSync()[0] as number;
      const after = model.b1.dataSync();
      const dTf = Math.hypot(...Array.from(after, (v, i) => v - (before[i] as number)));
      expect(Math.abs(yhat - f)).toBeLessThan(1e-4);
      expect(Math.abs(dTf / (etaTf * Math.abs(yhat - y)) / lip - 1)).toBeLessThan(2e-4);
      tf.dispose([output, loss]);
      model.dispose();
    }
  });

  it('sgdStep leaks no tensors', async () => {
    const net = BiasInputReluMlp.pytorchInit(PAPER_MLP2_SHAPE, new SeededRandom(5));
    const model = tfMlpFromParams(PAPER_MLP2_SHAPE, net.params());
    const x = tf.tensor2d(randomInputs(1, 6), [1, 10]);
    const y = tf.tensor1d([0.1]);
    const counts = await tensorCountsOver(() => {
      const { output, loss } = sgdStep(model, x, y, 1e-3, 'halfMse');
      tf.dispose([output, loss]);
    }, 5);
    expect(new Set(counts).size).toBe(1);
    tf.dispose([x, y]);
    model.dispose();
  });
});

it('the fused batch-size-1 step equals forward + accumulate + applySgd, and reports the pre-update ‖∇_x f‖', () => {
  const r = new SeededRandom(21);
  const a = BiasInputReluMlp.pytorchInit(PAPER_MLP_SHAPE, r);
  const b = BiasInputReluMlp.fromParams(PAPER_MLP_SHAPE, a.params());
  const xs = randomInputs(30, 22);
  for (let p = 0; p < 30; p++) {
    const y = Math.sin(p);
    const f = b.forward(xs, p * 10);
    const lip = b.inputGradient();
    b.forward(xs, p * 10);
    b.accumulateGradient(f - y);
    b.applySgd(0.01);
    const res = a.sgdStepSingle(xs, p * 10, y, 0.01);
    expect(res).toBeCloseTo(f - y, 12);
    expect(a.lastInputGradientNorm).toBeCloseTo(lip, 10);
  }
  const pa = a.params();
  const pb = b.params();
  for (let i = 0; i < 10; i++) expect(pa.b1[i]).toBeCloseTo(pb.b1[i] as number, 12);
  pa.weights.forEach((w, l) => {
    for (let i = 0; i < w.length; i++) expect(w[i]).toBeCloseTo((pb.weights[l] as Float64Array)[i] as number, 12);
  });
});

it('MLP run with pre-update Lipschitz: the theory normalised step equals the recorded Lipschitz constant', () => {
  const run = runMlpTrajectory({
    ...MLP_RUN_DEFAULTS,
    trainSize: 10,
    epochs: 3,
    learningRate: 0.05,
    seed: 4,
    lipschitzAt: 'preUpdate',
  });
  const tau = normalisedSteps(
    {
      biases: run.biases,
      dim: 10,
      learningRates: run.learningRates,
      normalisers: run.errors,
      initialBias: run.initialBias,
    },
    'theory',
  );
  for (let k = 0; k < 30; k++) {
    if (tau.degenerate[k]) continue;
    expect(Math.abs((tau.steps[k] as number) / (run.lipschitz[k] as number) - 1)).toBeLessThan(2e-3);
  }
  expect(() => runMlpTrajectory({ ...MLP_RUN_DEFAULTS, seed: 1, epochs: 1, lipschitzAt: 'mid' as never })).toThrow(
    /lipschitzAt/,
  );
});
