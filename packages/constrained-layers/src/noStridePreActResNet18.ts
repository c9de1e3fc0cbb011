import * as tfl from '@tensorflow/tfjs-layers';
import { ConstrainedConv2d } from './constrainedConv2d.js';
import { ConstrainedLayersError, checkInteger } from './constrainedLayersError.js';
import { CLASSIFIER_NAME, ConstrainedNetwork, type LipschitzTerm, type MeasuredLayer } from './constrainedNetwork.js';
import { checkConstraintVector } from './constraintVector.js';
import { denseClassifier } from './modelClassifier.js';
import { PoolingShortcut } from './poolingShortcut.js';
import type { ProjectionMode } from './projectionLimits.js';
import { SymmetricPaddedMaxPool2d } from './symmetricPaddedMaxPool2d.js';

/** Options of {@link noStridePreActResNet18}. */
export interface NoStridePreActResNet18Options {
  /** Number of classes C. */
  numClasses: number;
  /** `[stem, block, shortcut, classifier]` Lipschitz limits (default all `Infinity`). */
  lipCond?: readonly number[];
  /** `[stem, block, shortcut, classifier]` distance limits; `distCond[3] = 0` selects the simplex classifier. */
  distCond?: readonly number[];
  /** BatchNorm (eval: per-channel affine) instead of identity (default false, as the original without `--bn`). */
  batchNorm?: boolean;
  /** Input height = width (default 32; 64 for Tiny-ImageNet). Must be divisible by 32. */
  inputSize?: number;
  /** Input channels (default 3). */
  inputChannels?: number;
  /** Base seed of the inits (layer i uses seed + i); default random. */
  seed?: number;
  /**
   * How every constrained layer's projections move a violating kernel (the original's `--proj_mode`, spec §4.1–4.2):
   * `'orthogonal'` (default) or `'radial'`. **Differs from the original** for the dense classifier: its
   * `ConstrainedLinear` keeps an orthogonal Lipschitz projection whatever the mode (only its distance projection is
   * radial); ours applies the mode to both, so `'radial'` means radial for every projection.
   */
  projMode?: ProjectionMode;
}

const STAGE_PLANES = [64, 128, 256, 512] as const;
const BLOCKS_PER_STAGE = 2;

/**
 * The no-stride PreAct-ResNet18 of spec §7.2 as a tfjs-layers functional model (residual adds are `tfl.layers.add`;
 * the pooling shortcut, padded max-pool and constrained convs are custom layers), wrapped in a
 * {@link ConstrainedNetwork}. Stem: 7×7 circular conv 3→64 (slot 0) → [BN] → ReLU → MaxPool(3,2,1) twice. Four
 * stages of two pre-activation blocks (64, 128, 256, 512 planes; all convs 3×3 stride 1, slot 1); the first block
 * of stages 2–4 downsamples by MaxPool(3,2,1) after its first conv and uses the {@link PoolingShortcut} on the
 * activated input. Then global average pooling and the classifier (slot 3). Kernel surgery makes the 2×2-input
 * convs 2×2 and the 1×1-input convs 1×1 (3,065,024 conv weights on 32×32 inputs).
 *
 * Layer names: `conv1`, `bn1`, `layer{s}_{b}_conv{1,2}`, `layer{s}_{b}_bn{1,2}`, `layer{s}_0_shortcut`,
 * `layer{s}_0_shortcut_bn`, `classifier` (s = 1..4, b = 0..1).
 */
export function noStridePreActResNet18(options: NoStridePreActResNet18Options): ConstrainedNetwork {
  checkInteger('numClasses', options.numClasses, 2);
  const inputSize = options.inputSize ?? 32;
  const inputChannels = options.inputChannels ?? 3;
  if (!Number.isInteger(inputSize) || inputSize < 32 || inputSize % 32 !== 0) {
    throw new ConstrainedLayersError('inputSize', `got ${inputSize}`, 'a multiple of 32 (e.g. 32, 64)');
  }
  checkInteger('inputChannels', inputChannels, 1);
  const lipCond = checkConstraintVector('lipCond', options.lipCond);
  const distCond = checkConstraintVector('distCond', options.distCond);
  const batchNorm = options.batchNorm ?? false;
  let layerIndex = 0;
  const nextSeed = () => (options.seed === undefined ? undefined : options.seed + layerIndex++);
  const measured = new Map<string, MeasuredLayer>();

  const conv = (name: string, x: tfl.SymbolicTensor, filters: number, kernelSize: number, slot: 0 | 1) => {
    const seed = nextSeed();
    const layer = new ConstrainedConv2d({
      name,
      filters,
      kernelSize,
      useBias: false,
      lipCond: lipCond[slot],
      distCond: distCond[slot],
      ...(options.projMode === undefined ? {} : { projMode: options.projMode }),
      ...(seed === undefined ? {} : { seed }),
    });
    measured.set(name, layer);
    return layer.apply(x) as tfl.SymbolicTensor;
  };
  // BatchNorm as PyTorch's BatchNorm2d defaults (momentum 0.1 ⇔ tfjs 0.9, eps 1e-5); identity without --bn.
  const norm = (name: string, x: tfl.SymbolicTensor, terms: LipschitzTerm[]) => {
    if (!batchNorm) return x;
    terms.push({ kind: 'batchNorm', name });
    return tfl.layers
      .batchNormalization({ name, axis: -1, momentum: 0.9, epsilon: 1e-5 })
      .apply(x) as tfl.SymbolicTensor;
  };
  const relu = (x: tfl.SymbolicTensor) => tfl.layers.reLU().apply(x) as tfl.SymbolicTensor;
  const pool = (name: string, x: tfl.SymbolicTensor, terms: LipschitzTerm[]) => {
    terms.push({ kind: 'maxPool' });
    return new SymmetricPaddedMaxPool2d({ name, poolSize: 3, strides: 2, padding: 1 }).apply(x) as tfl.SymbolicTensor;
  };

  const input = tfl.input({ shape: [inputSize, inputSize, inputChannels] });
  const plan: LipschitzTerm[] = [{ kind: 'layer', name: 'conv1', inOriginal: true }];
  let x = conv('conv1', input, 64, 7, 0);
  x = relu(norm('bn1', x, plan));
  x = pool('pool1', x, plan);
  x = pool('pool2', x, plan);
  STAGE_PLANES.forEach((planes, stageIndex) => {
    const stage = stageIndex + 1;
    for (let b = 0; b < BLOCKS_PER_STAGE; b++) {
      const prefix = `layer${stage}_${b}`;
      const downsample = b === 0 && stage > 1;
      const branch: LipschitzTerm[] = [];
      const shortcut: LipschitzTerm[] = [];
      const activated = relu(norm(`${prefix}_bn1`, x, branch));
      let identity = x;
      if (downsample) {
        shortcut.push(...branch); // the shortcut starts from the same bn1 + ReLU
        const sc = new PoolingShortcut({ name: `${prefix}_shortcut` });
        measured.set(sc.name, sc);
        shortcut.push({ kind: 'layer', name: sc.name, inOriginal: true });
        identity = norm(`${prefix}_shortcut_bn`, sc.apply(activated) as tfl.SymbolicTensor, shortcut);
      }
      branch.push({ kind: 'layer', name: `${prefix}_conv1`, inOriginal: true });
      let out = conv(`${prefix}_conv1`, activated, planes, 3, 1);
      if (downsample) out = pool(`${prefix}_pool`, out, branch);
      out = relu(norm(`${prefix}_bn2`, out, branch));
      branch.push({ kind: 'layer', name: `${prefix}_conv2`, inOriginal: true });
      out = conv(`${prefix}_conv2`, out, planes, 3, 1);
      x = tfl.layers.add({ name: `${prefix}_add` }).apply([out, identity]) as tfl.SymbolicTensor;
      plan.push({ kind: 'residual', shortcut, branch });
    }
  });
  const features = tfl.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as tfl.SymbolicTensor;
  const { output, layer } = denseClassifier(
    features,
    options.numClasses,
    lipCond,
    distCond,
    nextSeed(),
    options.projMode,
  );
  measured.set(CLASSIFIER_NAME, layer);
  plan.push({ kind: 'layer', name: CLASSIFIER_NAME, inOriginal: true });
  const model = tfl.model({ inputs: input, outputs: output, name: 'noStridePreActResNet18' });
  return new ConstrainedNetwork({ architecture: 'noStridePreActResNet18', model, lipCond, distCond, measured, plan });
}
