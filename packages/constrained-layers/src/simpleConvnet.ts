import * as tfl from '@tensorflow/tfjs-layers';
import { ConstrainedConv2d } from './constrainedConv2d.js';
import { ConstrainedLayersError, checkInteger } from './constrainedLayersError.js';
import { CLASSIFIER_NAME, ConstrainedNetwork, type LipschitzTerm, type MeasuredLayer } from './constrainedNetwork.js';
import { checkConstraintVector } from './constraintVector.js';
import { denseClassifier } from './modelClassifier.js';
import type { ProjectionMode } from './projectionLimits.js';
import { SymmetricPaddedMaxPool2d } from './symmetricPaddedMaxPool2d.js';

/** Options of {@link simpleConvnet6} / {@link simpleConvnet11}. */
export interface SimpleConvnetOptions {
  /** Number of classes C. */
  numClasses: number;
  /** Width of every conv (default 512, as the original). */
  channels?: number;
  /** Downsample by stride-2 convs (default true) or by `MaxPool2d(3, 2, 1)` after the block's first conv. */
  strides?: boolean;
  /** `[stem, block, shortcut, classifier]` Lipschitz limits (default all `Infinity`); the shortcut slot is unused. */
  lipCond?: readonly number[];
  /** `[stem, block, shortcut, classifier]` distance limits; `distCond[3] = 0` selects the simplex classifier. */
  distCond?: readonly number[];
  /**
   * Classifier when `distCond[3] ≠ 0`: `'conv'` (default, as the original: a 1×1 {@link ConstrainedConv2d} on the
   * final 1×1 map) or `'dense'` (a {@link ConstrainedDense} on the flattened features).
   */
  classifier?: 'conv' | 'dense';
  /** Input height = width (default 32); five halvings must reach 1×1. */
  inputSize?: number;
  /** Input channels (default 3). */
  inputChannels?: number;
  /** Base seed of the inits (layer i uses seed + i); default random. */
  seed?: number;
  /**
   * How every constrained layer's projections move a violating kernel (the original's `--proj_mode`, spec §4.1–4.2):
   * `'orthogonal'` (default) or `'radial'`. See {@link ConstrainedKernelLayerArgs.projMode}.
   */
  projMode?: ProjectionMode;
}

const NUM_BLOCKS = 5;

/**
 * `SimpleConvnet(depth)` of spec §7.1 as a tfjs-layers functional model wrapped in a {@link ConstrainedNetwork}:
 * five blocks `conv(3×3, stride 2 or pool) → ReLU` followed by `depth − 1` × `conv(3×3) → ReLU`, then the
 * classifier. Convs are circular {@link ConstrainedConv2d} without bias; the first conv uses slot 0 of the
 * constraint vectors, all other convs slot 1, the classifier slot 3. Layer names: `conv1…convN`, `classifier`.
 * **Unlike the original training script**, the constraints are applied (it ignores `--lip/--dist` for these models).
 */
function simpleConvnet(depth: number, options: SimpleConvnetOptions): ConstrainedNetwork {
  checkInteger('numClasses', options.numClasses, 2);
  const channels = options.channels ?? 512;
  checkInteger('channels', channels, 1);
  const inputSize = options.inputSize ?? 32;
  const inputChannels = options.inputChannels ?? 3;
  checkInteger('inputSize', inputSize, 1);
  checkInteger('inputChannels', inputChannels, 1);
  const strides = options.strides ?? true;
  const lipCond = checkConstraintVector('lipCond', options.lipCond);
  const distCond = checkConstraintVector('distCond', options.distCond);
  const classifierKind = distCond[3] === 0 ? 'simplex' : (options.classifier ?? 'conv');
  let finalSize = inputSize;
  for (let b = 0; b < NUM_BLOCKS; b++) finalSize = Math.ceil(finalSize / 2);
  if (classifierKind === 'conv' && finalSize !== 1) {
    throw new ConstrainedLayersError(
      'inputSize',
      `${inputSize} leaves a ${finalSize}×${finalSize} map after five halvings`,
      'a size with ⌈size/32⌉ = 1 (e.g. 32) for the conv classifier',
    );
  }
  const seedOf = (i: number) => (options.seed === undefined ? undefined : options.seed + i);
  const input = tfl.input({ shape: [inputSize, inputSize, inputChannels] });
  const measured = new Map<string, MeasuredLayer>();
  const plan: LipschitzTerm[] = [];
  let x: tfl.SymbolicTensor = input;
  let convIndex = 0;
  const addConv = (name: string, filters: number, kernelSize: number, stride: number, slot: 0 | 1 | 3) => {
    const seed = seedOf(convIndex);
    const conv = new ConstrainedConv2d({
      name,
      filters,
      kernelSize,
      strides: stride,
      useBias: false,
      lipCond: lipCond[slot],
      distCond: distCond[slot],
      ...(options.projMode === undefined ? {} : { projMode: options.projMode }),
      ...(seed === undefined ? {} : { seed }),
    });
    x = conv.apply(x) as tfl.SymbolicTensor;
    measured.set(name, conv);
    plan.push({ kind: 'layer', name, inOriginal: true });
  };
  for (let b = 0; b < NUM_BLOCKS; b++) {
    for (let j = 0; j < depth; j++) {
      convIndex++;
      addConv(`conv${convIndex}`, channels, 3, j === 0 && strides ? 2 : 1, b === 0 && j === 0 ? 0 : 1);
      if (j === 0 && !strides) {
        x = new SymmetricPaddedMaxPool2d({ name: `pool${b + 1}`, poolSize: 3, strides: 2, padding: 1 }).apply(
          x,
        ) as tfl.SymbolicTensor;
        plan.push({ kind: 'maxPool' });
      }
      x = tfl.layers.reLU().apply(x) as tfl.SymbolicTensor;
    }
  }
  if (classifierKind === 'conv') {
    convIndex++;
    addConv(CLASSIFIER_NAME, options.numClasses, 1, 1, 3);
    x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  } else {
    const flat = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
    const { output, layer } = denseClassifier(
      flat,
      options.numClasses,
      lipCond,
      distCond,
      seedOf(convIndex + 1),
      options.projMode,
    );
    x = output;
    measured.set(CLASSIFIER_NAME, layer);
    // the original's model lip() is the product of the conv lips only
    plan.push({ kind: 'layer', name: CLASSIFIER_NAME, inOriginal: false });
  }
  const model = tfl.model({ inputs: input, outputs: x, name: `simpleConvnet${depth === 1 ? 6 : 11}` });
  return new ConstrainedNetwork({
    architecture: depth === 1 ? 'simpleConvnet6' : 'simpleConvnet11',
    model,
    lipCond,
    distCond,
    measured,
    plan,
  });
}

/** SimpleConvnet with block depth 1: 5 convs + classifier (spec §7.1). */
export function simpleConvnet6(options: SimpleConvnetOptions): ConstrainedNetwork {
  return simpleConvnet(1, options);
}

/** SimpleConvnet with block depth 2: 10 convs + classifier (spec §7.1). */
export function simpleConvnet11(options: SimpleConvnetOptions): ConstrainedNetwork {
  return simpleConvnet(2, options);
}
