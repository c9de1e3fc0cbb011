import { globalLipschitzBound, networkOutput, prepareNetwork } from '@lipkit/lipschitz-bounds';
import { describeEachBackend } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import {
  ConstrainedConv2d,
  ConstrainedLayersError,
  noStridePreActResNet18,
  simpleConvnet6,
  toNetworkDescription,
} from '../src/index.js';
import { runNetworkDescription } from './networkDescriptionInterpreter.js';

/** NHWC image → CHW flattened. */
function channelsFirst(x: Float32Array, h: number, w: number, c: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++)
      for (let ch = 0; ch < c; ch++) out[(ch * h + i) * w + j] = x[(i * w + j) * c + ch] as number;
  return out;
}

function expectSameFunction(model: tfl.LayersModel, h: number, w: number, c: number): void {
  const description = toNetworkDescription(model);
  expect(description.inputShape).toEqual([c, h, w]);
  const x = tf.randomNormal([1, h, w, c], 0, 1, 'float32', 17);
  const y = model.predict(x) as tf.Tensor;
  const got = runNetworkDescription(
    JSON.parse(JSON.stringify({ ...description, layers: description.layers.map(plain) })),
    channelsFirst(x.dataSync() as Float32Array, h, w, c),
  );
  const want = y.dataSync();
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 4);
  tf.dispose([x, y]);
}

// typed arrays → plain arrays, so the JSON round trip is what another tool would read
function plain(layer: object): object {
  return JSON.parse(JSON.stringify(layer, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
}

describeEachBackend('toNetworkDescription', () => {
  it('simpleConvnet6 with pools, a 2×2 surgery kernel and a conv classifier computes the same function', () => {
    const net = simpleConvnet6({ numClasses: 3, channels: 2, strides: false, lipCond: [1, 1, Infinity, 1], seed: 3 });
    expectSameFunction(net.model, 32, 32, 3);
    const types = toNetworkDescription(net).layers.map((l) => l.type);
    expect(types.filter((t) => t === 'maxpool2d').length).toBe(5);
    net.model.dispose();
  });

  it('strided simple convnet with a dense classifier on a 2×2 map (flatten order permuted) and the simplex', () => {
    const dense = simpleConvnet6({ numClasses: 3, channels: 2, classifier: 'dense', inputSize: 64, seed: 4 });
    expectSameFunction(dense.model, 64, 64, 3);
    dense.model.dispose();
    const simplex = simpleConvnet6({
      numClasses: 3,
      channels: 2,
      distCond: [Infinity, Infinity, Infinity, 0],
      seed: 5,
    });
    expectSameFunction(simplex.model, 32, 32, 3);
    simplex.model.dispose();
  });

  it('identity-shortcut adds, BatchNorm and global average pooling', () => {
    const input = tfl.input({ shape: [4, 4, 2] });
    const bn = tfl.layers.batchNormalization({ epsilon: 1e-5 });
    const h = tfl.layers.reLU().apply(bn.apply(input) as tfl.SymbolicTensor) as tfl.SymbolicTensor;
    const c = new ConstrainedConv2d({ filters: 2, kernelSize: 3, seed: 1 }).apply(h) as tfl.SymbolicTensor;
    const sum = tfl.layers.add().apply([c, input]) as tfl.SymbolicTensor;
    const out = tfl.layers.globalAveragePooling2d({}).apply(sum) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const [gamma, beta, mean, variance] = [
      [1.5, 0.5],
      [0.1, -0.2],
      [0.3, -0.1],
      [2, 0.5],
    ].map((v) => tf.tensor1d(v));
    bn.setWeights([gamma, beta, mean, variance] as tf.Tensor[]);
    expectSameFunction(model, 4, 4, 2);
    expect(toNetworkDescription(model).layers.map((l) => l.type)).toEqual([
      'batchnorm',
      'relu',
      'conv2d',
      'add',
      'avgpool2d',
      'flatten',
    ]);
    tf.dispose([gamma, beta, mean, variance] as tf.Tensor[]);
  });

  it('the bounds package accepts the export: same outputs, and its global bound matches our per-layer product', () => {
    // 64×64 inputs: no 2×2 surgery kernel (the bounds validator rejects the 3×3 embedding of a 2×2 kernel on a
    // 2×2 grid, although PyTorch's circular conv accepts it), and a dense classifier on the final 2×2 map
    const net = simpleConvnet6({
      numClasses: 3,
      channels: 3,
      classifier: 'dense',
      inputSize: 64,
      lipCond: [1.5, 1.2, Infinity, 0.9],
      seed: 8,
    });
    const prepared = prepareNetwork(toNetworkDescription(net));
    const x = tf.randomNormal([1, 64, 64, 3], 0, 1, 'float32', 2);
    const want = (net.model.predict(x) as tf.Tensor).dataSync();
    const got = networkOutput(prepared, channelsFirst(x.dataSync() as Float32Array, 64, 64, 3));
    want.forEach((v, i) => {
      expect(got[i]).toBeCloseTo(v, 4);
    });
    const bound = globalLipschitzBound(prepared);
    expect(bound.kind).toBe('upper bound');
    // a chain of circular convs and ReLUs: their product of per-layer upper bounds ≥ our product of exact norms
    expect(bound.value).toBeGreaterThanOrEqual(net.lipschitzBookkeeping().upperBound * (1 - 1e-9));
    // per affine layer: their certified factor ≥ our exact norm, and equal to it where they certify tightly
    const affine = bound.layers.filter((l) => l.method !== 'relu-1' && l.method !== 'identity');
    const ours = Object.values(net.lipschitzByLayer());
    expect(affine).toHaveLength(ours.length);
    affine.forEach((l, i) => {
      expect(l.factor).toBeGreaterThanOrEqual((ours[i] as number) * (1 - 1e-9));
      if (l.method === 'cholesky-certificate') expect(l.factor / (ours[i] as number)).toBeCloseTo(1, 6);
    });
    x.dispose();
    net.model.dispose();
  });

  it('the ResNet pooling shortcut → typed error naming network', () => {
    const net = noStridePreActResNet18({ numClasses: 3, seed: 1 });
    expect(() => toNetworkDescription(net)).toThrowError(ConstrainedLayersError);
    expect(() => toNetworkDescription(net)).toThrowError(/^network: .*PoolingShortcut/);
    net.model.dispose();
  });
});
