import { describeEachBackend, tensorCountsOver } from '@lipkit/test-backends';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  ConstrainedConv2d,
  ConstrainedDense,
  GENERALIZATION_BOUND_TAG,
  generalizationBound,
  measureGeneralizationBoundSetup,
  noStridePreActResNet18,
  simpleConvnet6,
  type TrainingData,
} from '../src/index.js';

/** Moves the layer's kernel away from its init by `scale`·N(0,1) (keeps the init snapshot). */
function perturb(layer: ConstrainedDense | ConstrainedConv2d, scale: number, seed: number): void {
  const [kernel, init] = layer.getWeights().map((w) => tf.clone(w)) as [tf.Tensor, tf.Tensor];
  const moved = tf.add(kernel, tf.mul(scale, tf.randomNormal(kernel.shape, 0, 1, 'float32', seed)));
  layer.setWeights([moved, init]);
  tf.dispose([kernel, init, moved]);
}

describeEachBackend('ConstrainedDense.project', () => {
  it('clips σ to lipCond (SVD last), keeps the variable (optimiser state), is idempotent', () => {
    const layer = new ConstrainedDense({ units: 5, useBias: false, lipCond: 0.4, distCond: 1.5, seed: 1 });
    layer.apply(tf.zeros([1, 7]));
    perturb(layer, 0.8, 2);
    expect(layer.lip()).toBeGreaterThan(0.4);
    const variable = layer.trainableWeights[0]?.read();
    const report = layer.project(1);
    expect(layer.trainableWeights[0]?.read()).toBe(variable); // assigned in place
    expect(report.lip).toBeLessThanOrEqual(0.4 + 1e-6);
    expect(report.lip).toBeCloseTo(layer.lip(), 12);
    expect(report.dist).toBeCloseTo(layer.dist(), 12);
    expect(report.distExcess).toBeCloseTo(Math.max(0, report.dist - 1.5), 12);
    const feasible = layer.project(1, { guarantee: 'feasible' });
    expect(feasible.lip).toBeLessThanOrEqual(0.4 + 1e-6);
    expect(feasible.dist).toBeLessThanOrEqual(1.5 + 1e-6);
    // a point inside both sets is a fixed point of every projection: idempotent
    const before = layer.kernelValues().kernel;
    layer.project(5);
    const after = layer.kernelValues().kernel;
    for (let i = 0; i < before.length; i++) expect(after[i]).toBeCloseTo(before[i] as number, 6);
  });

  it('momentum survives a projection: the optimiser keeps training the same variable', () => {
    const layer = new ConstrainedDense({ units: 3, lipCond: 0.5, seed: 3 });
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 1);
    tf.dispose(layer.apply(x) as tf.Tensor); // build
    const opt = tf.train.momentum(0.1, 0.9);
    const loss = () => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar;
    tf.tidy(() => {
      opt.minimize(
        loss,
        false,
        layer.trainableWeights.map((w) => w.read() as tf.Variable),
      );
    });
    const weights = opt.getWeights();
    layer.project(1);
    tf.tidy(() => {
      opt.minimize(
        loss,
        false,
        layer.trainableWeights.map((w) => w.read() as tf.Variable),
      );
    });
    return weights.then((w) => {
      expect(w.length).toBeGreaterThan(1); // iterations + one accumulator per variable
      x.dispose();
      opt.dispose();
    });
  });
});

describeEachBackend('ConstrainedConv2d.project', () => {
  it('one Dykstra round leaves σ above lipCond on an infeasible kernel and reports it; feasible mode removes it', () => {
    const layer = new ConstrainedConv2d({ filters: 8, kernelSize: 3, useBias: false, lipCond: 0.8, seed: 5 });
    layer.apply(tf.zeros([1, 6, 6, 3]));
    perturb(layer, 1, 6);
    const report = layer.project(1);
    expect(report.lip).toBeCloseTo(layer.lip(), 12);
    expect(report.lipExcess).toBeCloseTo(Math.max(0, layer.lip() - 0.8), 12);
    expect(report.lipExcess).toBeGreaterThan(0); // the support mask is the last projection (spec §14.6)
    const fixed = layer.project(1, { guarantee: 'feasible' });
    expect(fixed.lip).toBeLessThanOrEqual(0.8 + 1e-6);
    expect(layer.kernelShape).toEqual([3, 3, 3, 8]);
  });

  it('distance ball: dist after projection ≤ distCond + 1e-6 (mask never increases it)', () => {
    const layer = new ConstrainedConv2d({ filters: 4, kernelSize: 3, useBias: false, distCond: 0.5, seed: 7 });
    layer.apply(tf.zeros([1, 5, 5, 2]));
    perturb(layer, 0.5, 8);
    expect(layer.dist()).toBeGreaterThan(0.5);
    const report = layer.project(3);
    expect(report.dist).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(report.dist).toBeGreaterThan(0.5 - 1e-4); // on the sphere: the point was outside
  });

  it('numTensors stays flat over 100 forward + project calls', async () => {
    const layer = new ConstrainedConv2d({ filters: 2, kernelSize: 3, lipCond: 0.5, distCond: 1, seed: 1 });
    const x = tf.randomNormal([1, 4, 4, 2]);
    const counts = await tensorCountsOver(() => {
      tf.dispose(layer.apply(x) as tf.Tensor);
      layer.project(1);
    }, 100);
    expect(new Set(counts).size).toBe(1);
    x.dispose();
  });
});

describeEachBackend('ConstrainedNetwork.project and spectral complexity', () => {
  it('projects every constrained layer, reports per layer, and the spectral complexity matches its formula', () => {
    const net = simpleConvnet6({
      numClasses: 3,
      channels: 2,
      lipCond: [0.9, 0.9, Infinity, 0.9],
      distCond: [0.3, 0.3, Infinity, 0.3],
      seed: 1,
    });
    for (const layer of net.constrainedLayers()) perturb(layer, 0.3, 9);
    const progress: number[] = [];
    const reports = net.project(5, { guarantee: 'feasible', onProgress: (done) => progress.push(done) });
    expect([...reports.keys()]).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'classifier']);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    for (const r of reports.values()) {
      expect(r.lip).toBeLessThanOrEqual(0.9 + 1e-6);
      expect(r.dist).toBeLessThanOrEqual(0.3 + 1e-6);
    }
    const lips = net.lipschitzByLayer();
    const dists = net.distanceByLayer();
    let sum = 0;
    let product = 1;
    for (const [name, lip] of Object.entries(lips)) {
      sum += ((dists[name] as number) / lip) ** (2 / 3);
      product *= lip;
    }
    expect(net.spectralComplexity()).toBeCloseTo(sum ** 1.5 * product, 10);
    expect(net.lipschitzBookkeeping().original).toBeCloseTo(product, 12);
    net.model.dispose();
  });
});

describeEachBackend('ConstrainedNetwork.trainable()', () => {
  it('adapts the network to the training loop: variables, logits, project and the per-layer maps', () => {
    const net = simpleConvnet6({ numClasses: 3, channels: 2, lipCond: [1, 1, Infinity, 1], seed: 1 });
    const t = net.trainable();
    expect(t.architecture).toBe('simpleConvnet6');
    expect(t.inputShape).toEqual([32, 32, 3]);
    expect(t.numClasses).toBe(3);
    // 6 kernels + 6 init snapshots; only the kernels train
    expect(t.variables.length).toBe(12);
    expect(t.variables.filter((v) => v.trainable).length).toBe(6);
    expect(new Set(t.variables.map((v) => v.name)).size).toBe(12);
    const x = tf.randomNormal([2, 32, 32, 3]);
    const logits = t.logits(x as tf.Tensor4D, false);
    expect(logits.shape).toEqual([2, 3]);
    t.project?.(1);
    expect(Object.keys(t.lipschitzByLayer?.() ?? {})).toEqual([
      'conv1',
      'conv2',
      'conv3',
      'conv4',
      'conv5',
      'classifier',
    ]);
    expect(t.spectralComplexity?.()).toBe(0); // nothing moved from the init yet
    tf.dispose([x, logits]);
    net.model.dispose();
  });
});

/** ‖a − b‖_F of two float64 arrays. */
const frobeniusDistance = (a: Float64Array, b: Float64Array) => Math.hypot(...a.map((x, i) => x - (b[i] as number)));
/** |cos| of the angle between a and b: 1 when one is a positive multiple of the other. */
const cosine = (a: Float64Array, b: Float64Array) => {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return dot / (Math.hypot(...a) * Math.hypot(...b));
};

describeEachBackend('projMode radial (the original --proj_mode radial, spec §4.1–4.2)', () => {
  const layers = () => [
    (lipCond?: number, distCond?: number, projMode?: 'radial' | 'orthogonal') => {
      const l = new ConstrainedConv2d({
        filters: 3,
        kernelSize: 3,
        useBias: false,
        lipCond,
        distCond,
        projMode,
        seed: 11,
      });
      l.apply(tf.zeros([1, 5, 5, 2]));
      return l;
    },
    (lipCond?: number, distCond?: number, projMode?: 'radial' | 'orthogonal') => {
      const l = new ConstrainedDense({ units: 4, useBias: false, lipCond, distCond, projMode, seed: 12 });
      l.apply(tf.zeros([1, 6]));
      return l;
    },
  ];

  it('Lipschitz ball: lands on the sphere σ = lipCond along the kernel direction, idempotent, never closer than orthogonal', () => {
    for (const make of layers()) {
      const radial = make(0.5, undefined, 'radial');
      const orthogonal = make(0.5, undefined, 'orthogonal');
      perturb(radial, 0.6, 13);
      perturb(orthogonal, 0.6, 13);
      const before = radial.kernelValues().kernel;
      expect(radial.lip()).toBeGreaterThan(0.5);
      const report = radial.project(1);
      const after = radial.kernelValues().kernel;
      expect(report.lip).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(report.lip).toBeGreaterThan(0.5 - 1e-5); // the point was outside: it lands on the boundary
      expect(cosine(after, before)).toBeCloseTo(1, 6); // a pure rescale
      radial.project(3);
      const again = radial.kernelValues().kernel;
      for (let i = 0; i < after.length; i++) expect(again[i]).toBeCloseTo(after[i] as number, 6);
      // the orthogonal projection is the nearest point of the (convex) ball: radial can only be farther
      orthogonal.project(1);
      const nearest = frobeniusDistance(orthogonal.kernelValues().kernel, before);
      expect(nearest).toBeLessThanOrEqual(frobeniusDistance(after, before) + 1e-6);
      radial.dispose();
      orthogonal.dispose();
    }
  });

  it('distance ball: lands on dist = distCond, moving K − K⁰ by one factor; feasible guarantee holds both', () => {
    for (const make of layers()) {
      const layer = make(undefined, 0.4, 'radial');
      perturb(layer, 0.5, 14);
      const { kernel: before, init } = layer.kernelValues();
      expect(layer.dist()).toBeGreaterThan(0.4);
      const report = layer.project(1);
      expect(report.dist).toBeLessThanOrEqual(0.4 + 1e-6);
      expect(report.dist).toBeGreaterThan(0.4 - 1e-5);
      const after = layer.kernelValues().kernel;
      expect(
        cosine(
          after.map((x, i) => x - (init[i] as number)),
          before.map((x, i) => x - (init[i] as number)),
        ),
      ).toBeCloseTo(1, 6);
      layer.dispose();
      const both = make(0.5, 0.4, 'radial');
      perturb(both, 0.6, 15);
      const feasible = both.project(1, { guarantee: 'feasible' });
      expect(feasible.lip).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(feasible.dist).toBeLessThanOrEqual(0.4 + 1e-6);
      both.dispose();
    }
  });

  it('the model builders pass projMode to every constrained layer', () => {
    const net = simpleConvnet6({
      numClasses: 3,
      channels: 2,
      classifier: 'dense',
      lipCond: [0.9, 0.9, Infinity, 0.9],
      projMode: 'radial',
      seed: 1,
      inputSize: 32,
      inputChannels: 1,
    });
    const modes = net.constrainedLayers().map((l) => l.projMode);
    expect(modes).toHaveLength(6);
    expect(new Set(modes)).toEqual(new Set(['radial']));
    net.model.dispose();
    const resnet = noStridePreActResNet18({ numClasses: 3, projMode: 'radial', seed: 1 });
    const resnetModes = resnet.constrainedLayers().map((l) => l.projMode);
    expect(resnetModes).toHaveLength(18); // stem, 16 block convs, dense classifier
    expect(new Set(resnetModes)).toEqual(new Set(['radial']));
    resnet.model.dispose();
    expect(() => simpleConvnet6({ numClasses: 3, channels: 2, projMode: 'spherical' as 'radial' })).toThrow(
      /projMode.*'orthogonal' or 'radial'/,
    );
  });
});

describeEachBackend("the original's start-of-run generalisation bound (spec §9.2 step 8, §7.2)", () => {
  const limits = { lipCond: [0.9, 0.7, Infinity, 1.2], distCond: [2, 3, Infinity, 4] };
  const build = (lipCond: number[], distCond: number[]) =>
    simpleConvnet6({ numClasses: 3, channels: 2, inputChannels: 1, lipCond, distCond, seed: 2 });

  it('spectralComplexityBound uses the limits; maxLayerParameterCount is the largest weight; ∞ without limits', () => {
    const net = build(limits.lipCond, limits.distCond);
    // conv1 (stem), conv2..conv5 (block), classifier (slot 3, a 1×1 conv in the original's model lip)
    const pairs = [[0.9, 2], ...Array(4).fill([0.7, 3]), [1.2, 4]] as [number, number][];
    const sum = pairs.reduce((a, [l, d]) => a + (d / l) ** (2 / 3), 0);
    const product = pairs.reduce((a, [l]) => a * l, 1);
    expect(net.spectralComplexityBound()).toBeCloseTo(sum ** 1.5 * product, 10);
    // 3×3×2×2 block kernels on ≥ 4×4 grids (conv2 on 16×16); the 2×2-grid conv is cropped to 2×2
    expect(net.maxLayerParameterCount()).toBe(36);
    net.model.dispose();
    const open = build([0.9, 0.7, Infinity, 1.2], [2, Infinity, Infinity, 4]);
    expect(open.spectralComplexityBound()).toBe(Number.POSITIVE_INFINITY);
    open.model.dispose();
  });

  it('measureGeneralizationBoundSetup: brute-force data norm, n, w and the bound curve at γ = 1..100', async () => {
    const net = build(limits.lipCond, limits.distCond);
    const images = Float32Array.from({ length: 5 * 32 * 32 }, (_, i) => Math.sin(i) * 2);
    const data: TrainingData = {
      trainSize: 5,
      testSize: 1,
      trainBatches: () => [
        { images: images.subarray(0, 3 * 1024), labels: Int32Array.from([0, 1, 2]) },
        { images: images.subarray(3 * 1024), labels: Int32Array.from([1, 0]) },
      ],
      testBatches: () => [],
    };
    const setup = await measureGeneralizationBoundSetup(net, data);
    let squares = 0;
    for (const v of images) squares += v * v;
    expect(setup.quantities).toEqual({
      spectral_complexity_bound: net.spectralComplexityBound(),
      data_norm: expect.closeTo(Math.sqrt(squares), 9),
      n_train: 5,
      max_layer_params: 36,
    });
    const curve = setup.scalars[GENERALIZATION_BOUND_TAG]!;
    expect(curve.steps).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const { spectral_complexity_bound: sc, data_norm: b } = setup.quantities as Record<string, number>;
    const direct = (g: number) =>
      2 * (4 / 5 ** 1.5 + ((18 * Math.log(5)) / 5) * ((sc! * 2 * b! * Math.sqrt(Math.log(2 * 36 ** 2))) / g));
    expect(curve.values[0]).toBeCloseTo(direct(1), 8);
    expect(curve.values[99]).toBeCloseTo(direct(100), 8);
    expect(curve.values[41]).toBe(
      generalizationBound({ spectralComplexity: sc!, dataNorm: b!, maxLayerParams: 36, n: 5, margin: 42 }),
    );
    await expect(measureGeneralizationBoundSetup(net, data, [0.5])).rejects.toThrow(/margins.*integers >= 1/);
    net.model.dispose();
    const open = build([0.9, 0.7, Infinity, 1.2], [2, Infinity, Infinity, 4]);
    const none = await measureGeneralizationBoundSetup(open, data);
    expect(none.quantities.spectral_complexity_bound).toBe(Number.POSITIVE_INFINITY);
    expect(none.scalars).toEqual({});
    open.model.dispose();
  });
});
