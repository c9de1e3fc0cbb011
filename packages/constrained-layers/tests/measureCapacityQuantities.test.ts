import { describeEachBackend } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  type CapacityBatch,
  type ConstrainedConv2d,
  ConstrainedLayersError,
  measureCapacityQuantities,
  noStridePreActResNet18,
  RADEMACHER_BOUND_NAMES,
  rademacherBounds,
  simpleConvnet6,
} from '../src/index.js';

describeEachBackend('measureCapacityQuantities', () => {
  it('measures data, margin and layer quantities of a simple convnet (brute-force checks)', async () => {
    const net = simpleConvnet6({ numClasses: 3, channels: 6, lipCond: [1, 1, Infinity, 1], seed: 2 });
    const [H, C] = [32, 3];
    const batches: CapacityBatch[] = [];
    const logits: number[][] = [];
    for (let b = 0; b < 2; b++) {
      const x = tf.randomNormal([3, H, H, C], 0, 1, 'float32', 10 + b);
      const y = net.model.predict(x) as tf.Tensor2D;
      const rows = y.arraySync();
      logits.push(...rows);
      // label = argmax, so that every margin is positive
      batches.push({
        images: x.dataSync() as Float32Array,
        labels: Int32Array.from(rows.map((r) => r.indexOf(Math.max(...r)))),
      });
      tf.dispose([x, y]);
    }
    const progress: number[] = [];
    const q = await measureCapacityQuantities(net, batches, { onProgress: (d, t) => progress.push(d / t) });
    expect(progress).toEqual([0.5, 1]);
    expect(q.n).toBe(6);
    expect(q.numClasses).toBe(3);
    const all = batches.flatMap((b) => Array.from(b.images));
    expect(q.inputFrobeniusNorm).toBeCloseTo(Math.hypot(...all), 6);
    expect(q.inputMaxAbs).toBeCloseTo(Math.max(...all.map(Math.abs)), 6);
    const per = H * H * C;
    let maxColumn = 0;
    for (let j = 0; j < per; j++)
      maxColumn = Math.max(
        maxColumn,
        Math.hypot(...batches.flatMap((b) => [0, 1, 2].map((i) => b.images[i * per + j] as number))),
      );
    expect(q.inputMaxColumnNorm).toBeCloseTo(maxColumn, 6);
    const margins = logits.map((r) => {
      const s = [...r].sort((a, b) => b - a);
      return (s[0] as number) - (s[1] as number);
    });
    expect(q.margin).toBeCloseTo(Math.min(...margins), 4);
    // X_0: max 3×3 patch norm over images, windows truncated at the border (brute force)
    let x0 = 0;
    for (const b of batches) {
      for (let i = 0; i < 3; i++) {
        for (let r = 0; r < H; r++) {
          for (let s = 0; s < H; s++) {
            let e = 0;
            for (let a = r; a < Math.min(r + 3, H); a++)
              for (let t = s; t < Math.min(s + 3, H); t++)
                for (let c = 0; c < C; c++) e += (b.images[((i * H + a) * H + t) * C + c] as number) ** 2;
            x0 = Math.max(x0, Math.sqrt(e));
          }
        }
      }
    }
    expect(q.layers).toHaveLength(6);
    const [first, , , , fifth, classifier] = q.layers as [
      (typeof q.layers)[0],
      unknown,
      unknown,
      unknown,
      (typeof q.layers)[0],
      (typeof q.layers)[0],
    ];
    expect(first.inputPatchNorm).toBeCloseTo(x0, 4);
    expect(first).toMatchObject({ numParams: 162, stride: 2, kernelSize: 3, inputWidth: 32, inputChannels: 3 });
    expect(fifth).toMatchObject({ numParams: 144, kernelSize: 2, inputWidth: 2 });
    expect(classifier).toMatchObject({ numParams: 18, kernelSize: 1, inputWidth: 1, inputChannels: 6 });
    const conv1 = net.model.getLayer('conv1') as ConstrainedConv2d;
    const { kernel } = conv1.kernelValues();
    expect(first.norm22).toBeCloseTo(Math.hypot(...kernel), 10);
    expect(first.dist21).toBe(0);
    expect(first.lip).toBeCloseTo(conv1.lip(), 12);
    expect(first.lip).toBeLessThanOrEqual(1);
    expect(q.margin).toBeGreaterThan(0);
    const bounds = rademacherBounds(q);
    for (const name of RADEMACHER_BOUND_NAMES) expect(Number.isNaN(bounds[name])).toBe(false);
    net.model.dispose();
  });

  it('rejects the ResNet and mismatched batches', async () => {
    const resnet = noStridePreActResNet18({ numClasses: 3, seed: 1 });
    await expect(measureCapacityQuantities(resnet, [])).rejects.toThrowError(/^network: /);
    resnet.model.dispose();
    const net = simpleConvnet6({ numClasses: 3, channels: 2, seed: 1 });
    await expect(
      measureCapacityQuantities(net, [{ images: new Float32Array(10), labels: new Int32Array(1) }]),
    ).rejects.toThrowError(ConstrainedLayersError);
    await expect(measureCapacityQuantities(net, [])).rejects.toThrowError(/^batches: /);
    net.model.dispose();
  });
});
