import { SeededRandom } from '@lipkit/datasets';
import { describeEachBackend, tensorCountsOver } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  createCifarCnn,
  createMnistCnn,
  createMnistMlp,
  createTfMlp,
  PAPER_MLP_SHAPE,
  PAPER_MLP2_SHAPE,
  pytorchDense,
  sequentialBody,
  sgdStep,
  withFrozenIdentityInput,
} from '../src/index.js';

describeEachBackend('steady-learner tfjs models (spec §3.2, §6.2, §6.5; test 11)', () => {
  it('trainable parameter counts', () => {
    const r = new SeededRandom(1);
    const models = [
      [createTfMlp(PAPER_MLP_SHAPE, r), 2507],
      [createTfMlp(PAPER_MLP2_SHAPE, r), 395],
      [createCifarCnn(r), 1_080_577],
      [createMnistMlp(r), 784 + 784 * 512 + 512 + 513],
      [createMnistCnn(r), 784 + 2496 + 921_984 + 147_840 + 385],
    ] as const;
    for (const [m, n] of models) {
      expect(m.trainableParamCount()).toBe(n);
      m.dispose();
    }
  });

  it('CIFAR CNN per-layer shapes 3072 → 96×28×28 → 96×9×9 → 384×5×5 → 384×1×1 → 384 → 1', () => {
    const m = createCifarCnn(new SeededRandom(2));
    const shapes = tf.tidy(() => {
      let h: tf.Tensor = tf.relu(tf.add(tf.zeros([1, 32, 32, 3]), m.b1));
      const out: number[][] = [h.shape.slice(1)];
      for (const layer of m.body.layers ?? []) {
        h = layer.apply(h);
        out.push(h.shape.slice(1));
      }
      return out;
    });
    expect(shapes[0]).toEqual([32, 32, 3]);
    const distinct = shapes.filter((s, i) => i === 0 || JSON.stringify(s) !== JSON.stringify(shapes[i - 1]));
    expect(distinct).toEqual([[32, 32, 3], [28, 28, 96], [9, 9, 96], [5, 5, 384], [1, 1, 384], [384], [1]]);
    m.dispose();
  });

  it('PyTorch init bounds: b1 within ±1/√d, conv weights within ±1/√(Cin·k·k)', () => {
    const m = createCifarCnn(new SeededRandom(3));
    const b1 = m.b1.dataSync();
    const bound = 1 / Math.sqrt(3072);
    expect(Math.max(...Array.from(b1, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(b1, Math.abs))).toBeGreaterThan(0.9 * bound);
    const conv1 = m.variables[1]?.dataSync() ?? new Float32Array();
    expect(Math.max(...Array.from(conv1, Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(75));
    m.dispose();
  });

  it('frozen identity for any body: ∇_b1 f == ∇_x f on the MNIST MLP', () => {
    const m = createMnistMlp(new SeededRandom(4));
    const x = tf.randomUniform([1, 28, 28, 1], -1, 1, 'float32', 5);
    const [gx, gb] = tf.tidy(() => {
      const gradX = tf.grad((xx: tf.Tensor) => tf.sum(m.predict(xx)))(x);
      const gradB = tf.variableGrads(() => tf.sum(m.predict(x)) as tf.Scalar, [m.b1]).grads[m.b1.name] as tf.Tensor;
      return [gradX.dataSync(), gradB.dataSync()];
    });
    let maxDiff = 0;
    for (let i = 0; i < gx.length; i++) maxDiff = Math.max(maxDiff, Math.abs((gx[i] as number) - (gb[i] as number)));
    expect(maxDiff).toBeLessThan(1e-6);
    x.dispose();
    m.dispose();
  });

  it('withFrozenIdentityInput wraps a custom body and trains only through its variables', async () => {
    const r = new SeededRandom(6);
    const m = withFrozenIdentityInput([4], sequentialBody([pytorchDense(4, 1, r)]), r, 'logit');
    expect(m.trainableParamCount()).toBe(4 + 5);
    const x = tf.tensor2d([[1, -1, 0.5, 2]]);
    const y = tf.tensor1d([1]);
    const counts = await tensorCountsOver(() => {
      const s = sgdStep(m, x, y, 0.1, 'halfBce');
      tf.dispose([s.output, s.loss]);
    }, 4);
    expect(new Set(counts).size).toBe(1);
    tf.dispose([x, y]);
    m.dispose();
  });
});
