import type * as tf from '@tensorflow/tfjs-core';
import type { CircularPadding } from './circularPad2d.js';
import { circularPad2d } from './circularPad2d.js';
import { circularPad2dAdjoint } from './circularPad2dAdjoint.js';
import { CIRCULAR_PAD_2D, CIRCULAR_PAD_2D_ADJOINT } from './wasmCircularPad2d.js';

const paddingOf = (attrs: tf.NamedAttrMap): CircularPadding => attrs as unknown as CircularPadding;

/** Gradient of the wrap-around pad kernel: its adjoint. */
export const circularPad2dGradConfig: tf.GradConfig = {
  kernelName: CIRCULAR_PAD_2D,
  gradFunc: (dy, _saved, attrs) => ({ x: () => circularPad2dAdjoint(dy as tf.Tensor4D, paddingOf(attrs)) }),
};

/** Gradient of the adjoint kernel: the pad again (the pair are adjoint linear maps). */
export const circularPad2dAdjointGradConfig: tf.GradConfig = {
  kernelName: CIRCULAR_PAD_2D_ADJOINT,
  gradFunc: (dy, _saved, attrs) => ({ dy: () => circularPad2d(dy as tf.Tensor4D, paddingOf(attrs)) }),
};
