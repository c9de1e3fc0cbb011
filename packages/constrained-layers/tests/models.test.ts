import { describeEachBackend, tensorCountsOver, useBackend } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CLASSIFIER_NAME,
  type ConstrainedConv2d,
  ConstrainedLayersError,
  noStridePreActResNet18,
  SimplexClassifier,
  simpleConvnet6,
  simpleConvnet11,
} from '../src/index.js';

// Shape bookkeeping only (no numerics): one backend is enough.
beforeAll(async () => {
  await useBackend('cpu');
});

describe('parameter counts (spec §7, after kernel surgery)', () => {
  for (const [build, channels, want] of [
    [simpleConvnet6, 64, 128_704],
    [simpleConvnet6, 128, 511_360],
    [simpleConvnet11, 64, 259_776],
    [simpleConvnet11, 128, 1_035_648],
  ] as const) {
    it(`${build.name} with ${channels} channels has ${want} conv weights`, () => {
      const net = build({ numClasses: 10, channels, seed: 1 });
      expect(net.convParameterCount()).toBe(want);
      // + the conv classifier's channels·C weights; every kernel has an init snapshot of the same size
      expect(net.model.countParams()).toBe(2 * (want + channels * 10));
      net.model.dispose();
    });
  }
  it('noStridePreActResNet18: 3,065,024 conv weights on 32×32, 7,062,720 on 64×64', () => {
    const cifar = noStridePreActResNet18({ numClasses: 10, seed: 1 });
    expect(cifar.convParameterCount()).toBe(3_065_024);
    const kernels = cifar.constrainedLayers().map((l) => [l.name, 'kernelShape' in l ? l.kernelShape[0] : 0]);
    expect(Object.fromEntries(kernels)).toMatchObject({
      conv1: 7,
      layer1_0_conv1: 3,
      layer3_0_conv2: 2,
      layer4_0_conv1: 2,
      layer4_0_conv2: 1,
      layer4_1_conv2: 1,
    });
    cifar.model.dispose();
    const tiny = noStridePreActResNet18({ numClasses: 200, inputSize: 64, seed: 1 });
    expect(tiny.convParameterCount()).toBe(7_062_720);
    tiny.model.dispose();
  });
});

describe('Lipschitz bookkeeping (spec §7.2, §14.11)', () => {
  it('ResNet: original counts pools as 1 and the shortcut as √2; the upper bound counts pools as 2', () => {
    const net = noStridePreActResNet18({ numClasses: 10, distCond: [Infinity, Infinity, Infinity, 0], seed: 1 });
    const lips: Record<string, number> = {};
    for (const name of net.measuredLayerNames()) lips[name] = name.endsWith('shortcut') ? Math.SQRT2 : 2;
    lips.conv1 = 3;
    lips[CLASSIFIER_NAME] = 0.5;
    const { original, upperBound } = net.lipschitzBookkeeping(lips);
    // 3 · [(1 + 2·2)² stage 1] · [(√2 + 2·2)(1 + 2·2)]³ stages 2–4 · 0.5
    expect(original).toBeCloseTo(3 * 5 ** 2 * (Math.SQRT2 + 4) ** 3 * 5 ** 3 * 0.5, 6);
    // stem pools ×4; in-block pools make the downsampling branches 2·2·2
    expect(upperBound).toBeCloseTo(3 * 4 * 5 ** 2 * (Math.SQRT2 + 8) ** 3 * 5 ** 3 * 0.5, 6);
    expect(net.model.getLayer(CLASSIFIER_NAME)).toBeInstanceOf(SimplexClassifier);
    net.model.dispose();
  });
  it('simple convnet: the original leaves out a dense classifier and the pools', () => {
    const net = simpleConvnet6({ numClasses: 3, channels: 2, strides: false, classifier: 'dense', seed: 2 });
    const lips = Object.fromEntries(net.measuredLayerNames().map((n) => [n, n === CLASSIFIER_NAME ? 0.5 : 2]));
    const { original, upperBound } = net.lipschitzBookkeeping(lips);
    expect(original).toBeCloseTo(2 ** 5, 10);
    expect(upperBound).toBeCloseTo(2 ** 5 * 2 ** 5 * 0.5, 10);
    net.model.dispose();
  });
});

describe('model constraint vectors: bad input', () => {
  it('rejects distCond 0 outside the classifier slot, NaN, negatives, wrong length, bad sizes', () => {
    expect(() => simpleConvnet6({ numClasses: 3, channels: 2, distCond: [0, 1, 1, 1] })).toThrowError(
      /^distCond\[0\]: /,
    );
    expect(() => simpleConvnet6({ numClasses: 3, channels: 2, lipCond: [1, Number.NaN, 1, 1] })).toThrowError(
      /^lipCond\[1\]: /,
    );
    expect(() => noStridePreActResNet18({ numClasses: 3, lipCond: [1, -2, 1, 1] })).toThrowError(/^lipCond\[1\]: /);
    expect(() => noStridePreActResNet18({ numClasses: 3, lipCond: [1, 1, 1] })).toThrowError(/^lipCond: /);
    expect(() => noStridePreActResNet18({ numClasses: 3, inputSize: 48 })).toThrowError(/^inputSize: /);
    expect(() => simpleConvnet6({ numClasses: 3, channels: 2, inputSize: 64 })).toThrowError(ConstrainedLayersError);
    // simplex needs d ≥ C−1: 4 channels cannot hold 10 classes
    expect(() =>
      simpleConvnet6({ numClasses: 10, channels: 4, distCond: [Infinity, Infinity, Infinity, 0] }),
    ).toThrowError(/^inputShape: /);
  });
});

describeEachBackend('models forward', () => {
  it('the ResNet (with BatchNorm and the simplex classifier) gives [N, C] logits', () => {
    const net = noStridePreActResNet18({
      numClasses: 10,
      batchNorm: true,
      distCond: [Infinity, Infinity, Infinity, 0],
      seed: 4,
    });
    const x = tf.randomNormal([1, 32, 32, 3]);
    const y = net.model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 10]);
    expect(Number.isFinite(tf.sum(y).dataSync()[0] as number)).toBe(true);
    tf.dispose([x, y]);
    net.model.dispose();
  });

  it('simpleConvnet6 / 11 give [N, C] logits without leaking tensors', async () => {
    const nets = [
      simpleConvnet6({ numClasses: 3, channels: 2, seed: 1 }),
      simpleConvnet11({ numClasses: 3, channels: 2, strides: false, seed: 2 }),
    ];
    const x = tf.randomNormal([2, 32, 32, 3]);
    for (const net of nets) {
      const y = net.model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, 3]);
      y.dispose();
      const counts = await tensorCountsOver(() => {
        tf.dispose(net.model.predict(x) as tf.Tensor);
      }, 5);
      expect(new Set(counts).size).toBe(1);
      net.model.dispose();
    }
    x.dispose();
  });
});

describeEachBackend('model serialisation', () => {
  it('simpleConvnet6 (pools, surgery, simplex) round-trips through toJSON / modelFromJSON + weights', async () => {
    const net = simpleConvnet6({
      numClasses: 3,
      channels: 4,
      strides: false,
      lipCond: [1, 1, Infinity, 0.8],
      distCond: [2, 2, Infinity, 0],
      seed: 6,
    });
    const copy = await tfl.models.modelFromJSON(JSON.parse(JSON.stringify(net.model.toJSON(null, false))));
    copy.setWeights(net.model.getWeights());
    const x = tf.randomNormal([2, 32, 32, 3]);
    const a = net.model.predict(x) as tf.Tensor;
    const b = copy.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect((copy.getLayer('conv5') as ConstrainedConv2d).kernelShape).toEqual([2, 2, 4, 4]);
    expect((copy.getLayer('conv2') as ConstrainedConv2d).dist()).toBe(0);
    tf.dispose([x, a, b]);
    net.model.dispose();
    copy.dispose();
  });
});
