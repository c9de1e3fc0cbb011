/**
 * What the training loop needs from a network: its variables, a forward pass, and optionally the constraint
 * machinery (projection and per-layer measurements). A plain tfjs model fits by implementing `logits` and
 * `variables` only.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** A network variable with a unique, stable name (checkpoints match by name). */
export interface NetworkVariable {
  name: string;
  variable: tf.Variable;
  /** Updated by the optimiser (`false` for init-weight buffers, frozen simplex prototypes, BN statistics). */
  trainable: boolean;
}

/** A network the training loop can train, project, measure and checkpoint. */
export interface TrainableNetwork {
  /** Architecture id stored in checkpoints (e.g. `simple_convnet6`); a checkpoint loads only into the same id. */
  readonly architecture: string;
  /** Input shape [height, width, channels] the network was built for. */
  readonly inputShape: readonly [number, number, number];
  /** Number of classes (logits per sample). */
  readonly numClasses: number;
  /** All variables: trainable weights and non-trainable state. */
  readonly variables: readonly NetworkVariable[];
  /** Logits [batch, numClasses] of NHWC images; `training` selects train-mode behaviour (e.g. BatchNorm). */
  logits(images: tf.Tensor4D, training: boolean): tf.Tensor2D;
  /** Projects every constrained layer onto its constraint set with `iterations` Dykstra iterations. */
  project?(iterations: number): void;
  /** Per-layer Lipschitz constants (estimate unless the implementation says otherwise), by layer name. */
  lipschitzByLayer?(): Record<string, number>;
  /** Per-layer (2,1) group-norm distances to initialisation, by layer name. */
  distanceByLayer?(): Record<string, number>;
  /** Spectral complexity used to normalise margins (the original: product of layer Lipschitz constants). */
  spectralComplexity?(): number;
}

/** One batch of images, framework-free: `images` NHWC float32 (length = labels.length·h·w·c), `labels` class ids. */
export interface ImageBatch {
  images: Float32Array;
  labels: Int32Array;
}

/** Batches as a sync or async iterable (e.g. `@lipkit/datasets`' `iterateBatches`). */
export type BatchIterable = Iterable<ImageBatch> | AsyncIterable<ImageBatch>;

/** Training and test data as batch iterables. */
export interface TrainingData {
  /** Number of training samples (after any `--limit-to`). */
  readonly trainSize: number;
  /** Number of test samples. */
  readonly testSize: number;
  /**
   * The training set in batches, shuffled by `shuffleSeed` (equal seeds must give equal orders: resume relies on
   * it). Called once per epoch and for the final clean evaluation.
   */
  trainBatches(shuffleSeed: number): BatchIterable;
  /** The test set in batches (fixed order). */
  testBatches(): BatchIterable;
}
