import { describeEachBackend, tensorCountsOver } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import {
  globalLipschitzBound,
  localLipschitzBound,
  ModelImportError,
  type NetworkDescription,
  networkFromTfjsModel,
  networkOutput,
  prepareNetwork,
  randomLowerBound,
} from '../src/index.js';

/** Replaces every weight by a uniform draw in [−0.5, 0.5) (BatchNorm variances in [0.5, 1.5)): non-trivial biases and statistics. */
function randomizeWeights(model: tfl.LayersModel, seed: number): void {
  model.layers.forEach((layer, l) => {
    const ws = layer.getWeights();
    if (ws.length === 0) return;
    const fresh = ws.map((w, k) =>
      tf.tidy(() => {
        const u = tf.randomUniform(w.shape, -0.5, 0.5, 'float32', seed + 31 * l + k);
        return layer.getClassName() === 'BatchNormalization' && k === 3 ? tf.add(u, 1) : u;
      }),
    );
    layer.setWeights(fresh);
    tf.dispose(fresh);
  });
}

/**
 * input [6, 6, 3] → conv(relu) → conv → batchnorm → add(input) → relu → conv(relu) → add(skip from the relu before)
 * → flatten → dense.
 */
function buildConvResidual(): tfl.LayersModel {
  const x = tfl.input({ shape: [6, 6, 3] });
  const a = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  const b = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(a);
  const bn = tfl.layers.batchNormalization({ epsilon: 1e-3 }).apply(b);
  const sum1 = tfl.layers.add().apply([bn, x] as tfl.SymbolicTensor[]);
  const r1 = tfl.layers.reLU().apply(sum1) as tfl.SymbolicTensor;
  const c = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(r1);
  // Skip first, current second: the adapter must not depend on the input order.
  const sum2 = tfl.layers.add().apply([r1, c] as tfl.SymbolicTensor[]);
  const f = tfl.layers.flatten().apply(sum2);
  const y = tfl.layers.dense({ units: 4 }).apply(f) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: x, outputs: y });
  randomizeWeights(model, 11);
  return model;
}

/** input [5] → dense(relu) h → dense → add(h) → relu → dense → add(h) → dense. */
function buildResidualMlp(): tfl.LayersModel {
  const x = tfl.input({ shape: [5] });
  const h = tfl.layers.dense({ units: 6, activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
  const d = tfl.layers.dense({ units: 6 }).apply(h);
  const s = tfl.layers.add().apply([d, h] as tfl.SymbolicTensor[]);
  const r = tfl.layers.activation({ activation: 'relu' }).apply(s);
  const e = tfl.layers.dense({ units: 6 }).apply(r);
  const t = tfl.layers.add().apply([e, h] as tfl.SymbolicTensor[]);
  const y = tfl.layers.dense({ units: 2 }).apply(t) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: x, outputs: y });
  randomizeWeights(model, 5);
  return model;
}

/** Checks f(x) of the description against `model.predict` on `count` random NHWC inputs; returns the CHW inputs. */
function expectSameOutputs(model: tfl.LayersModel, desc: NetworkDescription, count: number): Float64Array[] {
  const net = prepareNetwork(desc);
  const nhwc = model.inputs[0]?.shape.slice(1) as number[];
  const inputs: Float64Array[] = [];
  for (let s = 0; s < count; s++) {
    const x = tf.randomUniform([1, ...nhwc], -1, 1, 'float32', 100 + s);
    const y = model.predict(x) as tf.Tensor;
    const xData = x.dataSync();
    const expected = y.dataSync();
    tf.dispose([x, y]);
    const chw = new Float64Array(xData.length);
    if (nhwc.length === 3) {
      const [h, w, c] = nhwc as [number, number, number];
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++)
          for (let k = 0; k < c; k++) chw[(k * h + i) * w + j] = xData[(i * w + j) * c + k] as number;
    } else chw.set(xData);
    const got = networkOutput(net, chw);
    expect(got.length).toBe(expected.length);
    got.forEach((v, i) => {
      const e = expected[i] as number;
      // float32 precision of the tfjs forward pass.
      expect(Math.abs(v - e)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(e)));
    });
    inputs.push(chw);
  }
  return inputs;
}

describeEachBackend('networkFromTfjsModel (functional, residual)', () => {
  it('maps a conv ResNet block to add layers whose forward pass equals model.predict', () => {
    const model = buildConvResidual();
    const desc = networkFromTfjsModel(model);
    expect(desc.inputShape).toEqual([3, 6, 6]);
    expect(desc.layers.map((l) => (l.type === 'add' ? `add(${l.from})` : l.type))).toEqual([
      'conv2d',
      'relu',
      'conv2d',
      'batchnorm',
      'add(-1)',
      'relu',
      'conv2d',
      'relu',
      'add(5)',
      'flatten',
      'dense',
    ]);
    expectSameOutputs(model, desc, 3);
    model.dispose();
  });

  it('maps a residual MLP (skip from a fused ReLU) and its forward pass equals model.predict', () => {
    const model = buildResidualMlp();
    const desc = networkFromTfjsModel(model);
    expect(desc.layers.map((l) => (l.type === 'add' ? `add(${l.from})` : l.type))).toEqual([
      'dense',
      'relu',
      'dense',
      'add(1)',
      'relu',
      'dense',
      'add(1)',
      'dense',
    ]);
    expectSameOutputs(model, desc, 4);
    model.dispose();
  });

  it('gives global and local upper bounds ≥ a sampled lower bound', () => {
    for (const model of [buildConvResidual(), buildResidualMlp()]) {
      const desc = networkFromTfjsModel(model);
      const [x0] = expectSameOutputs(model, desc, 1) as [Float64Array];
      const net = prepareNetwork(desc);
      const eps = 0.3;
      const lower = randomLowerBound(net, x0, eps, { samples: 1500, seed: 2 });
      expect(lower.value).toBeGreaterThan(0);
      const global = globalLipschitzBound(net);
      const local = localLipschitzBound(net, x0, eps, { mode: 'certified' });
      expect(global.kind).toBe('upper bound');
      expect(local.kind).toBe('upper bound');
      expect(local.value).toBeGreaterThanOrEqual(lower.value);
      expect(global.value).toBeGreaterThanOrEqual(local.value * (1 - 1e-12));
      model.dispose();
    }
  });

  it('keeps the NHWC flatten order through BatchNormalization and Add after a Flatten', () => {
    const x = tfl.input({ shape: [3, 2, 2] });
    const c = tfl.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(x);
    const f = tfl.layers.flatten().apply(c) as tfl.SymbolicTensor;
    const bn = tfl.layers.batchNormalization().apply(f);
    const s = tfl.layers.add().apply([bn, f] as tfl.SymbolicTensor[]);
    const y = tfl.layers.dense({ units: 3 }).apply(s) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: y });
    randomizeWeights(model, 23);
    const desc = networkFromTfjsModel(model);
    expect(desc.layers.map((l) => l.type)).toEqual(['conv2d', 'flatten', 'batchnorm', 'add', 'dense']);
    expectSameOutputs(model, desc, 2);
    model.dispose();
  });

  it('repeats the weights of a layer called twice in the chain', () => {
    const x = tfl.input({ shape: [4] });
    const shared = tfl.layers.dense({ units: 4, activation: 'relu' });
    const once = shared.apply(x) as tfl.SymbolicTensor;
    const twice = shared.apply(once) as tfl.SymbolicTensor;
    const y = tfl.layers.add().apply([twice, x]) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: y });
    randomizeWeights(model, 41);
    const desc = networkFromTfjsModel(model);
    expect(desc.layers.map((l) => (l.type === 'add' ? `add(${l.from})` : l.type))).toEqual([
      'dense',
      'relu',
      'dense',
      'relu',
      'add(-1)',
    ]);
    expectSameOutputs(model, desc, 2);
    model.dispose();
  });

  it('does not leak tensors', async () => {
    const model = buildConvResidual();
    const counts = await tensorCountsOver(() => {
      networkFromTfjsModel(model);
    }, 3);
    expect(new Set(counts).size).toBe(1);
    model.dispose();
  });

  it('rejects non-chain graphs with a ModelImportError naming the layer', () => {
    const reject = (build: (x: tfl.SymbolicTensor) => tfl.SymbolicTensor | tfl.SymbolicTensor[], pattern: RegExp) => {
      const x = tfl.input({ shape: [4, 4, 2] });
      const model = tfl.model({ inputs: x, outputs: build(x) });
      expect(() => networkFromTfjsModel(model)).toThrow(ModelImportError);
      expect(() => networkFromTfjsModel(model)).toThrow(pattern);
      model.dispose();
    };
    const conv = (name: string, filters = 2) => tfl.layers.conv2d({ filters, kernelSize: 1, name }) as tfl.layers.Layer;
    reject(
      (x) =>
        tfl.layers
          .concatenate({ name: 'cat' })
          .apply([conv('c1').apply(x), x] as tfl.SymbolicTensor[]) as tfl.SymbolicTensor,
      /layer "cat" \(Concatenate\)\.inputs: reads 2 tensors/,
    );
    reject((x) => {
      const a = conv('a1').apply(x) as tfl.SymbolicTensor;
      const b = conv('b1').apply(a) as tfl.SymbolicTensor;
      return tfl.layers.add({ name: 'add3' }).apply([b, a, x]) as tfl.SymbolicTensor;
    }, /layer "add3" \(Add\)\.inputs: adds 3 tensors/);
    reject(
      // tfjs broadcasts [4, 4, 1] + [4, 4, 2]; the description's add needs equal shapes.
      (x) =>
        tfl.layers
          .add({ name: 'bcast' })
          .apply([conv('narrow', 1).apply(x), x] as tfl.SymbolicTensor[]) as tfl.SymbolicTensor,
      /layer "bcast" \(Add\)\.inputs: adds shapes \[2,4,4\] and \[1,4,4\]/,
    );
    reject((x) => {
      // A projection shortcut: layers on both sides of the merge.
      const main = conv('main').apply(x) as tfl.SymbolicTensor;
      const proj = conv('proj').apply(x) as tfl.SymbolicTensor;
      return tfl.layers.add({ name: 'sum' }).apply([main, proj]) as tfl.SymbolicTensor;
    }, /layer "proj" \(Conv2D\)\.inputs: does not read the previous layer output/);
    reject(
      (x) => [conv('out1').apply(x), conv('out2').apply(x)] as tfl.SymbolicTensor[],
      /model\.outputs: has 2 outputs/,
    );
  });
});
