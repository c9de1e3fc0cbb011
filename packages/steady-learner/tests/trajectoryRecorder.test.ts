import { SeededRandom } from '@lipkit/datasets';
import { describeEachBackend } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  biasVariancePerEpoch,
  createTfMlp,
  distanceToReference,
  epochTrajectory,
  inputGradientNorm,
  normalisedSteps,
  PAPER_MLP2_SHAPE,
  SteadyLearnerError,
  sgdStep,
  type TrajectoryFormulas,
  TrajectoryRecorder,
} from '../src/index.js';

/** Trains MLP2 with bs 1 on a few random points, recording online and storing every bias for the offline formulas. */
function trainAndRecord(
  formulas: TrajectoryFormulas,
  epochs: number,
  steps: number,
  chunkSize: number,
  placement: 'device' | 'host',
) {
  const r = new SeededRandom(42);
  const model = createTfMlp(PAPER_MLP2_SHAPE, r);
  const xs = Float32Array.from({ length: steps * 10 }, () => r.nextUniform(-5, 5));
  const ys = Float32Array.from({ length: steps }, () => r.nextUniform(-1, 1));
  const recorder = new TrajectoryRecorder({ bias: model.b1, formulas, chunkSize, placement });
  const init = Float64Array.from(model.b1.dataSync());
  recorder.begin();
  const biases: number[] = [];
  const etas: number[] = [];
  const errs: number[] = [];
  const stats = [];
  const counts: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const eta = 0.05 * 0.9 ** e;
    recorder.beginEpoch(eta);
    for (let s = 0; s < steps; s++) {
      const x = tf.tensor2d(xs.subarray(s * 10, s * 10 + 10), [1, 10]);
      const y = tf.tensor1d([ys[s] as number]);
      const { output, loss } = sgdStep(model, x, y, eta, 'halfMse');
      const err = tf.tidy(() => tf.abs(tf.sub(tf.reshape(output, []), tf.reshape(y, []))));
      errs.push(err.dataSync()[0] as number);
      recorder.recordStep(err);
      biases.push(...model.b1.dataSync());
      etas.push(eta);
      tf.dispose([x, y, output, loss, err]);
    }
    stats.push(recorder.endEpoch());
    counts.push(tf.memory().numTensors);
  }
  recorder.dispose();
  model.dispose();
  return { stats, biases, etas, errs, init, counts };
}

describeEachBackend('TrajectoryRecorder (online, spec §4.6/§12) agrees with the offline formulas', () => {
  for (const placement of ['device', 'host'] as const) {
    it(`faithful (${placement}): per-epoch trajectory (first step skipped, off-by-one), variance, first-step distance`, () => {
      const E = 3;
      const S = 7;
      const { stats, biases, etas, errs, counts } = trainAndRecord('faithful', E, S, 3, placement);
      expect(new Set(counts).size).toBe(1); // numTensors flat across epochs
      const variance = biasVariancePerEpoch(biases, 10, etas, S);
      const dist = distanceToReference(biases, 10, 'faithful');
      const tau = normalisedSteps({ biases, dim: 10, learningRates: etas, normalisers: errs }, 'faithful');
      for (let e = 0; e < E; e++) {
        const st = stats[e] as (typeof stats)[number];
        expect(st.steps).toBe(S);
        // Online faithful (CNN code): Σ_{s≥1} ‖B_s − B_{s−1}‖/(η_{s−1} ε_{s−1}) / S; offline τ_k pairs step k+1 with k.
        let expected = 0;
        for (let s = 1; s < S; s++) expected += tau.steps[e * S + s - 1] as number;
        expect(st.trajectory).toBeCloseTo(expected / S, 2);
        expect(Math.abs(st.variance / (variance[e] as number) - 1)).toBeLessThan(1e-2);
        for (let s = 0; s < S; s++) expect(st.distances[s]).toBeCloseTo(dist[e * S + s] as number, 5);
      }
    });

    it(`theory (${placement}): each step paired with its own normaliser, distance from the true init`, () => {
      const E = 2;
      const S = 5;
      const { stats, biases, etas, errs, init } = trainAndRecord('theory', E, S, 256, placement);
      const tau = normalisedSteps(
        { biases, dim: 10, learningRates: etas, normalisers: errs, initialBias: init },
        'theory',
      );
      const T = epochTrajectory(tau, S, true);
      const dist = distanceToReference(biases, 10, 'theory', init);
      for (let e = 0; e < E; e++) {
        const st = stats[e] as (typeof stats)[number];
        expect(Math.abs(st.trajectory / (T.perEpoch[e] as number) - 1)).toBeLessThan(1e-2);
        for (let s = 0; s < S; s++) expect(st.distances[s]).toBeCloseTo(dist[e * S + s] as number, 5);
      }
    });
  }

  it('theory: with the Lipschitz constant recorded (pre-update, autograd), the normalised step equals it', () => {
    const r = new SeededRandom(9);
    const model = createTfMlp(PAPER_MLP2_SHAPE, r);
    const rec = new TrajectoryRecorder({ bias: model.b1, formulas: 'theory' });
    rec.begin();
    rec.beginEpoch(0.1);
    for (let s = 0; s < 6; s++) {
      const x = tf.tensor2d(
        Float32Array.from({ length: 10 }, () => r.nextUniform(-4, 4)),
        [1, 10],
      );
      const y = tf.tensor1d([r.nextUniform(-1, 1)]);
      const lip = inputGradientNorm(model, x); // pre-update
      const { output, loss } = sgdStep(model, x, y, 0.1, 'halfMse');
      const eps = tf.tidy(() => tf.abs(tf.sub(tf.reshape(output, []), tf.reshape(y, []))));
      rec.recordStep(eps, lip);
      tf.dispose([x, y, lip, output, loss, eps]);
    }
    const st = rec.endEpoch();
    expect(st.lipschitz.length).toBe(6);
    for (let s = 0; s < 6; s++) {
      expect(Math.abs((st.normalisedSteps[s] as number) / (st.lipschitz[s] as number) - 1)).toBeLessThan(5e-3);
    }
    const two = tf.zeros([2, 10]);
    expect(() => inputGradientNorm(model, two)).toThrow(SteadyLearnerError);
    two.dispose();
    rec.dispose();
    model.dispose();
  });

  it('gives the same statistics for every chunk size (closed form on hand-set biases, numbers and tensors mixed)', () => {
    // b moves by (k+1, 0) at step k; ε_k = 1 + k/10 (numbers on even steps, tensors on odd ones); η = 0.5.
    const run = (chunkSize: number, placement: 'device' | 'host' = 'device') => {
      const v = tf.variable(tf.zeros([2]));
      const rec = new TrajectoryRecorder({ bias: v, chunkSize, placement });
      rec.begin();
      const out = [];
      const before = tf.memory().numTensors;
      let k = 0;
      for (let e = 0; e < 2; e++) {
        rec.beginEpoch(0.5);
        for (let s = 0; s < 7; s++, k++) {
          tf.tidy(() => v.assign(tf.add(v, tf.tensor1d([k + 1, 0]))));
          const eps = 1 + k / 10;
          if (k % 2 === 0) rec.recordStep(eps, k);
          else {
            const t = tf.scalar(eps);
            const lip = tf.scalar(k);
            rec.recordStep(t, lip);
            tf.dispose([t, lip]);
          }
        }
        out.push(rec.endEpoch());
      }
      const growth = tf.memory().numTensors - before;
      rec.dispose();
      v.dispose();
      return { out, growth };
    };
    const reference = run(256);
    for (const chunkSize of [1, 2, 3, 7]) {
      const { out, growth } = run(chunkSize);
      expect(growth, `chunkSize ${chunkSize}`).toBe(reference.growth);
      for (let e = 0; e < 2; e++) {
        const a = out[e]!;
        const b = reference.out[e]!;
        expect(Array.from(a.normalisedSteps)).toEqual(Array.from(b.normalisedSteps));
        expect(Array.from(a.distances)).toEqual(Array.from(b.distances));
        expect(Array.from(a.lipschitz)).toEqual(Array.from(b.lipschitz));
        expect(a.variance).toBeCloseTo(b.variance, 6);
      }
    }
    // The host placement computes the same statistics in float64 and leaves no more tensors behind.
    const host = run(1, 'host');
    expect(host.growth).toBe(0);
    for (let e = 0; e < 2; e++) {
      const a = host.out[e]!;
      const b = reference.out[e]!;
      for (let s = 0; s < 7; s++) {
        expect(a.normalisedSteps[s]).toBeCloseTo(b.normalisedSteps[s] as number, 4);
        expect(a.distances[s]).toBeCloseTo(b.distances[s] as number, 4);
      }
      expect(Array.from(a.lipschitz)).toEqual(Array.from(b.lipschitz));
      expect(Math.abs(a.variance / b.variance - 1)).toBeLessThan(1e-5);
    }
    // Closed form (faithful): entry s ≥ 1 of epoch e is |Δb| of step k = 7e + s over η·ε_{k−1}; distances from the
    // bias after the very first step (b_k − b_0 = Σ_{j=1..k} (j+1)).
    for (let e = 0; e < 2; e++) {
      const st = reference.out[e]!;
      for (let s = 0; s < 7; s++) {
        const k = 7 * e + s;
        if (s > 0) expect(st.normalisedSteps[s]).toBeCloseTo((k + 1) / (0.5 * (1 + (k - 1) / 10)), 4);
        expect(st.distances[s]).toBeCloseTo(((k + 1) * (k + 2)) / 2 - 1, 3);
        expect(st.lipschitz[s]).toBe(k);
      }
      // Variance ÷ η² of the epoch's positions (population variance over the 7 steps).
      const pos = Array.from({ length: 7 }, (_, s) => ((7 * e + s + 1) * (7 * e + s + 2)) / 2);
      const mean = pos.reduce((a, b) => a + b, 0) / 7;
      const variance = pos.reduce((a, b) => a + (b - mean) ** 2, 0) / 7 / 0.25;
      expect(Math.abs(st.variance / variance - 1)).toBeLessThan(1e-5);
    }
  });

  it('misuse gives typed errors', () => {
    const v = tf.variable(tf.zeros([3]));
    for (const chunkSize of [0, -1, 1.5, Number.NaN]) {
      expect(() => new TrajectoryRecorder({ bias: v, chunkSize })).toThrow(
        expect.objectContaining({ name: 'SteadyLearnerError', argument: 'chunkSize' }),
      );
    }
    const plain = tf.zeros([3]);
    expect(() => new TrajectoryRecorder({ bias: plain as tf.Variable })).toThrow(
      expect.objectContaining({ argument: 'bias' }),
    );
    plain.dispose();
    expect(() => new TrajectoryRecorder({ bias: v, formulas: 'exact' as TrajectoryFormulas })).toThrow(/formulas/);
    expect(() => new TrajectoryRecorder({ bias: v, placement: 'gpu' as 'host' })).toThrow(
      /placement.*allowed: auto, device, host/,
    );
    const rec = new TrajectoryRecorder({ bias: v });
    expect(() => rec.beginEpoch(0.1)).toThrow(SteadyLearnerError);
    rec.begin();
    expect(() => rec.recordStep(1)).toThrow(/beginEpoch/);
    expect(() => rec.beginEpoch(0)).toThrow(/learningRate/);
    rec.beginEpoch(0.1);
    expect(() => rec.endEpoch()).toThrow(/no steps/);
    rec.dispose();
    v.dispose();
  });
});
