import { describeEachBackend, tensorCountsOver } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { ModelImportError, networkFromTfjsModel, networkOutput, prepareNetwork } from '../src/index.js';

function buildModel(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }),
  );
  model.add(tfl.layers.batchNormalization({ epsilon: 1e-3 }));
  model.add(tfl.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  model.add(tfl.layers.conv2d({ filters: 4, kernelSize: 2, strides: 1, padding: 'valid' }));
  model.add(tfl.layers.reLU());
  model.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 1 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dropout({ rate: 0.5 }));
  model.add(tfl.layers.dense({ units: 5, activation: 'relu' }));
  model.add(tfl.layers.dense({ units: 3 }));
  // Non-trivial batchnorm statistics and biases (getWeights() returns the variables' own values: not disposed).
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    const fresh = ws.map((w, k) =>
      k === 0 && layer.getClassName() !== 'BatchNormalization'
        ? tf.clone(w)
        : tf.tidy(() => tf.add(tf.mul(tf.randomUniform(w.shape, 0, 1, 'float32', 7 + k), 0.5), 0.5)),
    );
    layer.setWeights(fresh);
    tf.dispose(fresh);
  }
  return model;
}

describeEachBackend('networkFromTfjsModel', () => {
  it('converts NHWC layers to the channels-first description with the same outputs', () => {
    const model = buildModel();
    const desc = networkFromTfjsModel(model);
    expect(desc.inputShape).toEqual([2, 6, 6]);
    expect(desc.layers.map((l) => l.type)).toEqual([
      'conv2d',
      'relu',
      'batchnorm',
      'avgpool2d',
      'conv2d',
      'relu',
      'maxpool2d',
      'flatten',
      'dropout',
      'dense',
      'relu',
      'dense',
    ]);
    const conv = desc.layers[0];
    if (conv?.type !== 'conv2d') throw new Error('expected conv2d');
    expect(conv.padding).toEqual([1, 1]);
    // Hand-built check of the kernel layout: lipkit [o, c, a, b] = tfjs [a, b, c, o].
    const k = model.layers[0]?.getWeights()[0] as tf.Tensor;
    const kd = k.dataSync();
    expect(conv.weight.data[((2 * 2 + 1) * 3 + 0) * 3 + 2]).toBe(kd[((0 * 3 + 2) * 2 + 1) * 3 + 2]);
    const net = prepareNetwork(desc);
    const xNhwc = tf.randomUniform([1, 6, 6, 2], -1, 1, 'float32', 3);
    const xData = xNhwc.dataSync();
    const xChw = new Float64Array(72);
    for (let h = 0; h < 6; h++)
      for (let w = 0; w < 6; w++)
        for (let c = 0; c < 2; c++) xChw[(c * 6 + h) * 6 + w] = xData[(h * 6 + w) * 2 + c] as number;
    const yTf = model.predict(xNhwc) as tf.Tensor;
    const expected = yTf.dataSync();
    const got = networkOutput(net, xChw);
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 4);
    });
    tf.dispose([xNhwc, yTf]);
    model.dispose();
  });

  it('does not leak tensors and names unsupported layers', async () => {
    const model = buildModel();
    const counts = await tensorCountsOver(() => {
      networkFromTfjsModel(model);
    }, 3);
    expect(new Set(counts).size).toBe(1);
    const bad = tfl.sequential();
    bad.add(tfl.layers.dense({ inputShape: [4], units: 2, activation: 'softmax', name: 'probs' }));
    expect(() => networkFromTfjsModel(bad)).toThrow(ModelImportError);
    expect(() => networkFromTfjsModel(bad)).toThrow(/layer "probs" \(Dense\)\.activation/);
    const lstm = tfl.sequential();
    lstm.add(tfl.layers.conv2d({ inputShape: [4, 4, 1], filters: 1, kernelSize: 2, padding: 'same', name: 'even' }));
    expect(() => networkFromTfjsModel(lstm)).toThrow(/"even" \(Conv2D\)\.padding/);
    model.dispose();
    bad.dispose();
    lstm.dispose();
  });
});
