/**
 * Adapts a TensorFlow.js layers model (a `tf.LayersModel`, `tf.Sequential` or a single `tf.layers.Layer`) to the
 * training loop's {@link TrainableNetwork}.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainableNetwork } from './trainableNetwork.js';

/** The part of a tfjs-layers model the adapter uses. */
export interface LayersModelLike {
  /** All weights in a deterministic order (tfjs-layers: trainable and non-trainable). */
  readonly weights: readonly { name: string; trainable: boolean; read(): tf.Tensor }[];
  apply(inputs: tf.Tensor, kwargs?: { training?: boolean }): unknown;
}

/** What the adapter cannot read from the model. */
export interface LayersModelNetworkOptions {
  architecture: string;
  inputShape: readonly [number, number, number];
  numClasses: number;
  project?: (iterations: number) => void;
  lipschitzByLayer?: () => Record<string, number>;
  distanceByLayer?: () => Record<string, number>;
  spectralComplexity?: () => number;
}

/**
 * A {@link TrainableNetwork} over a built tfjs-layers model. Variable names are `<position>:<last part of the weight
 * name>` (e.g. `0:kernel`, `2:initKernel`): tfjs numbers auto-named layers per process (`dense_Dense3`), so only the
 * position is stable across instances of one architecture; checkpoints match by these names (and check shapes). The model must be built (call it once) so its weights exist.
 */
export function layersModelNetwork(model: LayersModelLike, options: LayersModelNetworkOptions): TrainableNetwork {
  const variables = model.weights.map((w, i) => ({
    name: `${i}:${w.name.split('/').at(-1)!.replace(/_\d+$/, '')}`,
    variable: w.read() as tf.Variable,
    trainable: w.trainable,
  }));
  return {
    architecture: options.architecture,
    inputShape: options.inputShape,
    numClasses: options.numClasses,
    variables,
    logits: (images, training) => model.apply(images, { training }) as tf.Tensor2D,
    ...(options.project && { project: options.project }),
    ...(options.lipschitzByLayer && { lipschitzByLayer: options.lipschitzByLayer }),
    ...(options.distanceByLayer && { distanceByLayer: options.distanceByLayer }),
    ...(options.spectralComplexity && { spectralComplexity: options.spectralComplexity }),
  };
}
