import { describeEachBackend, tensorCountsOver } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { negativeMargins, rampLoss } from '../src/index.js';

describeEachBackend('negativeMargins and rampLoss (spec §9.8, §11.2)', () => {
  it('compute_margins acceptance example', () => {
    const logits = tf.tensor2d([
      [1, 4, 2],
      [2, 3, 1],
    ]);
    const m = negativeMargins(logits, new Int32Array([1, 2]));
    expect(m.shape).toEqual([2, 1]);
    const got = Array.from(m.dataSync());
    expect(got[0]).toBeCloseTo(-2, 7);
    expect(got[1]).toBeCloseTo(2, 7);
    tf.dispose([logits, m]);
  });

  it('ramp loss is 0 below −γ, 1 above 0, linear between', () => {
    const r = tf.tensor2d([[-3], [-1], [-0.5], [0.2]]);
    const loss = rampLoss(r, 1);
    // per sample: 0, 0, 0.5, 1 → mean 0.375
    expect(loss.dataSync()[0]).toBeCloseTo(0.375, 6);
    const loss2 = rampLoss(r, 2);
    // per sample: 0, 0.5, 0.75, 1 → mean 0.5625
    expect(loss2.dataSync()[0]).toBeCloseTo(0.5625, 6);
    tf.dispose([r, loss, loss2]);
    expect(() => rampLoss(tf.zeros([1]), 0)).toThrowError(/gamma/);
  });

  it('does not leak tensors', async () => {
    const logits = tf.randomNormal([8, 5]) as tf.Tensor2D;
    const labels = new Int32Array([0, 1, 2, 3, 4, 0, 1, 2]);
    const counts = await tensorCountsOver(() => {
      tf.tidy(() => {
        rampLoss(negativeMargins(logits, labels));
      });
    }, 5);
    expect(new Set(counts).size).toBe(1);
    logits.dispose();
  });
});
