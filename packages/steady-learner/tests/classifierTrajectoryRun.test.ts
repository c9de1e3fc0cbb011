import { describeEachBackend } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { runClassifierTrajectory, SteadyLearnerError } from '../src/index.js';
import { syntheticTwoClassImages } from './support/syntheticImages.js';

describeEachBackend('runClassifierTrajectory on fixture images (MNIST-MLP path)', () => {
  it('shapes, finiteness, decay schedule, and no tensor growth across runs', () => {
    const data = syntheticTwoClassImages(28, 1, 12, 6);
    const cfg = { model: 'mnist-mlp', epochs: 3, batchSize: 1, learningRate: 0.01, decay: 2, seed: 5 } as const;
    const before = tf.memory().numTensors;
    const r = runClassifierTrajectory(data, cfg);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.stepsPerEpoch).toBe(12);
    expect(r.distance.length).toBe(36);
    expect(r.epsilon.length).toBe(36);
    for (const a of [r.trainLoss, r.testLoss, r.trajectory, r.variance, r.integral, r.avgErrorCumulative]) {
      expect(a.length).toBe(3);
      for (const v of a) expect(Number.isFinite(v)).toBe(true);
    }
    expect(r.integral[0]).toBe(0);
    expect(r.learningRate[2]).toBeCloseTo(0.01 * 10 ** -1, 12);
    expect(r.distance[0]).toBe(0); // faithful: measured from the first step
    // ε = 1 − |p − y| (faithful) lies in (0, 1); errors in [0, 1).
    for (let k = 0; k < 36; k++) {
      expect((r.epsilon[k] as number) + (r.error[k] as number)).toBeCloseTo(1, 5);
    }
    const again = runClassifierTrajectory(data, cfg);
    expect(Array.from(again.trainLoss)).toEqual(Array.from(r.trainLoss)); // seeded ⇒ deterministic
    expect(tf.memory().numTensors).toBe(before);
  });

  it('theory formulas use ε = ½|p − y|, distances from the true init', () => {
    const data = syntheticTwoClassImages(28, 1, 6, 4);
    const r = runClassifierTrajectory(data, {
      model: 'mnist-mlp',
      epochs: 2,
      batchSize: 2,
      learningRate: 0.01,
      seed: 1,
      formulas: 'theory',
    });
    expect(r.stepsPerEpoch).toBe(3);
    for (let k = 0; k < 6; k++) expect(r.epsilon[k]).toBeCloseTo(0.5 * (r.error[k] as number), 6);
    expect(r.distance[0]).toBeGreaterThan(0);
  });

  it('bad input gives typed errors', () => {
    const data = syntheticTwoClassImages(28, 1, 4, 2);
    const ok = { model: 'mnist-mlp', epochs: 1, batchSize: 1, learningRate: 0.01, seed: 1 } as const;
    expect(() => runClassifierTrajectory(data, { ...ok, epochs: 0 })).toThrow(SteadyLearnerError);
    expect(() => runClassifierTrajectory(data, { ...ok, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => runClassifierTrajectory(data, { ...ok, model: 'resnet' as never })).toThrow(/model/);
    expect(() => runClassifierTrajectory(data, { ...ok, model: 'cifar-cnn' })).toThrow(/32×32×3/);
  });
});
