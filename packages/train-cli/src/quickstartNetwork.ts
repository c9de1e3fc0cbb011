/**
 * The quickstart's model: steady-learner's frozen-identity first layer (a trainable input bias b1, spec
 * steady-learner §3: h = x + b1, so ∂ℓ/∂b1 = ∂ℓ/∂x) in front of a constrained simpleConvnet6 from
 * @lipkit/constrained-layers, and the zero-padded data it trains on.
 */
import {
  type ConstrainedNetwork,
  type NetworkVariable,
  simpleConvnet6,
  type TrainableNetwork,
} from '@lipkit/constrained-layers';
import type { ImageDataset, ImageSplit } from '@lipkit/datasets';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Zero pixels added on every side of the 28×28 images. simpleConvnet6 halves the map five times; at 28×28 its fifth
 * conv would see a 2×2 map (kernel surgery to 2×2), which the bounds package refuses to describe as a circular conv
 * (kernel larger than the map). At 36×36 every conv sees ≥ 3×3 and the final 2×2 map goes to a dense classifier.
 */
export const QUICKSTART_PAD = 4;

/**
 * Constraints of the quickstart's convnet: `[stem, block, shortcut (unused), classifier]` (spec §9.1 order). Chosen
 * by measurement (4 epochs, 2,000 images, 8 channels, 2026-11-23): unconstrained, the layers end at Lipschitz
 * 2.9/3.2/3.6/2.4/1.6/1.1 and 74% test accuracy; `[4, 2, –, 2]` binds the middle convs at 2.0 and reaches 69%;
 * `[2, 1, –, 1]` bound four layers at 1.0, every projection pushed the loss back to ≈ 2.2, and it reached 49%.
 */
export const QUICKSTART_LIP_COND = [4, 2, Number.POSITIVE_INFINITY, 2] as const;
/** Distance-to-init limits ((2,1) group norm), same slots as {@link QUICKSTART_LIP_COND}. */
export const QUICKSTART_DIST_COND = [16, 16, Number.POSITIVE_INFINITY, 16] as const;

/** Copies `split` with `pad` zero-valued (raw 0, i.e. black) pixels on every side of every image. */
export function zeroPadSplit(split: ImageSplit, pad: number): ImageSplit {
  const { count, height, width, channels } = split;
  const h = height + 2 * pad;
  const w = width + 2 * pad;
  const pixels = new Uint8Array(count * h * w * channels);
  const row = width * channels;
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < height; y++) {
      const src = (n * height + y) * width * channels;
      const dst = ((n * h + y + pad) * w + pad) * channels;
      pixels.set(split.pixels.subarray(src, src + row), dst);
    }
  }
  return { pixels, labels: split.labels, count, height: h, width: w, channels };
}

/** The dataset with both splits zero-padded by {@link QUICKSTART_PAD}. */
export function paddedDataset(dataset: ImageDataset): ImageDataset {
  return {
    ...dataset,
    train: zeroPadSplit(dataset.train, QUICKSTART_PAD),
    test: zeroPadSplit(dataset.test, QUICKSTART_PAD),
  };
}

/** What the role of each measured layer's constraint slot is (conv1 = stem, conv2–5 = block, classifier). */
export function constraintSlotOf(layer: string): 0 | 1 | 3 {
  return layer === 'conv1' ? 0 : layer === 'classifier' ? 3 : 1;
}

/** The quickstart model: input bias b1, then the constrained convnet `g`, so `f(x) = g(x + b1)`. */
export interface QuickstartModel {
  /** The constrained convnet g (its `model` is what `toNetworkDescription` exports). */
  convnet: ConstrainedNetwork;
  /** b1, shape [H, W, C] of the (padded) input; steady-learner's init U(±1/√d), d = H·W·C. */
  inputBias: tf.Variable;
  /** f for `trainModel`: g's variables plus b1; every projection is `'feasible'` (both constraints hold after). */
  trainable: TrainableNetwork;
  dispose(): void;
}

/** Seeded uniform values in (−a, a) (mulberry32), so b1's init is reproducible without tfjs's global seed. */
function seededUniform(n: number, a: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = (2 * u - 1) * a;
  }
  return out;
}

/**
 * Builds the quickstart model for `[size, size, channels]` inputs: simpleConvnet6 with `channels` filters per conv,
 * stride-2 circular convs, a constrained dense classifier, Lipschitz and distance constraints
 * ({@link QUICKSTART_LIP_COND}, {@link QUICKSTART_DIST_COND}), preceded by the trainable input bias b1.
 */
export function buildQuickstartModel(
  inputShape: readonly [number, number, number],
  numClasses: number,
  channels: number,
  seed: number,
): QuickstartModel {
  const [h, w, c] = inputShape;
  const convnet = simpleConvnet6({
    numClasses,
    channels,
    lipCond: QUICKSTART_LIP_COND,
    distCond: QUICKSTART_DIST_COND,
    classifier: 'dense',
    inputSize: h,
    inputChannels: c,
    seed,
  });
  const d = h * w * c;
  const inputBias = tf.variable(tf.tensor3d(seededUniform(d, 1 / Math.sqrt(d), seed ^ 0x5eed), [h, w, c]), true, 'b1');
  const inner = convnet.trainable();
  const biasVariable: NetworkVariable = { name: 'input_bias/b1', variable: inputBias, trainable: true };
  const trainable: TrainableNetwork = {
    architecture: `quickstart_b1_${inner.architecture}`,
    inputShape: inner.inputShape,
    numClasses: inner.numClasses,
    variables: [biasVariable, ...inner.variables],
    logits: (images, training) => tf.tidy(() => inner.logits(tf.add(images, inputBias) as tf.Tensor4D, training)),
    project: (iterations) => {
      convnet.project(iterations, { guarantee: 'feasible' });
    },
    lipschitzByLayer: () => convnet.lipschitzByLayer(),
    distanceByLayer: () => convnet.distanceByLayer(),
    spectralComplexity: () => convnet.spectralComplexity(),
  };
  return {
    convnet,
    inputBias,
    trainable,
    dispose: () => {
      inputBias.dispose();
      convnet.model.dispose();
    },
  };
}
