import * as tf from '@tensorflow/tfjs-core';

/** tfjs max-pool padding: `'valid'`, `'same'`, p on every side, or explicit `[[0,0],[t,b],[l,r],[0,0]]`. */
export type MaxPoolPadding =
  | 'valid'
  | 'same'
  | number
  | [[number, number], [number, number], [number, number], [number, number]];

/**
 * `tf.maxPool(x, k, s, pad)` with a gradient that is right on every backend. tfjs-backend-wasm 4.22's
 * `MaxPoolGrad` is wrong when a pooling window holds only negative values (measured: it credits cell 0 or nothing,
 * while cpu is right), and the models pool pre-ReLU maps. The gradient here runs `MaxPoolGrad` on the input
 * shifted to be positive (`x − min(x) + 1`), which has the same arg-max in every window; the forward value is the
 * plain `tf.maxPool` (exact copies of input values).
 */
export function maxPool2dShiftedGradient(
  x: tf.Tensor4D,
  poolSize: number,
  strides: number,
  pad: MaxPoolPadding,
): tf.Tensor4D {
  const attrs = { filterSize: poolSize, strides, pad } as unknown as tf.NamedAttrMap;
  const pool = tf.customGrad(((input: tf.Tensor4D, save: tf.GradSaveFunc) => {
    save([input]);
    return {
      value: tf.maxPool(input, poolSize, strides, pad as number),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const original = saved[0] as tf.Tensor4D;
          const shifted = tf.add(tf.sub(original, tf.min(original)), 1);
          const output = tf.maxPool(shifted as tf.Tensor4D, poolSize, strides, pad as number);
          return tf.engine().runKernel('MaxPoolGrad', { dy, input: shifted, output }, attrs) as tf.Tensor4D;
        }),
    };
  }) as unknown as Parameters<typeof tf.customGrad<tf.Tensor4D>>[0]);
  return pool(x) as tf.Tensor4D;
}
