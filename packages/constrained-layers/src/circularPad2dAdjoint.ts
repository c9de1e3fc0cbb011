import * as tf from '@tensorflow/tfjs-core';
import { type CircularPadding, wrapRuns } from './circularPad2d.js';
import { CIRCULAR_PAD_2D_ADJOINT } from './wasmCircularPad2d.js';

/** Sums the runs of one padded axis back onto the `size` source positions they were copied from. */
function foldAxis(padded: tf.Tensor4D, axis: 1 | 2, size: number, before: number, after: number): tf.Tensor4D {
  if (before === 0 && after === 0) return padded;
  const terms = wrapRuns(size, before, after).map(({ padded: start, source, length }) => {
    const begin: [number, number, number, number] = [0, 0, 0, 0];
    const sliceSize: [number, number, number, number] = [-1, -1, -1, -1];
    begin[axis] = start;
    sliceSize[axis] = length;
    const piece = tf.slice(padded, begin, sliceSize);
    if (length === size) return piece;
    const pads: [number, number][] = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    pads[axis] = [source, size - source - length];
    return tf.pad(piece, pads);
  });
  return terms.length === 1 ? terms[0]! : tf.addN(terms);
}

/**
 * Adjoint of {@link circularPad2d} (the gradient of the padding): every padded pixel's value is added back onto the
 * source pixel it was copied from, `dx[m] = Σ_{r : (r − top) mod H = m} dpad[r]` per axis (columns first, then rows,
 * the reverse of the padding order). One heap kernel on wasm after {@link registerWasmTrainingKernels}.
 *
 * @param dpadded `[N, H + top + bottom, W + left + right, C]`.
 * @returns `[N, H, W, C]` with `H, W` the unpadded size.
 */
export function circularPad2dAdjoint(dpadded: tf.Tensor4D, padding: CircularPadding): tf.Tensor4D {
  const h = dpadded.shape[1] - padding.top - padding.bottom;
  const w = dpadded.shape[2] - padding.left - padding.right;
  if (tf.getKernel(CIRCULAR_PAD_2D_ADJOINT, tf.getBackend()) != null) {
    return tf.engine().runKernel(CIRCULAR_PAD_2D_ADJOINT, { dy: dpadded }, { ...padding }) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const cols = foldAxis(dpadded, 2, w, padding.left, padding.right);
    return foldAxis(cols, 1, h, padding.top, padding.bottom);
  });
}
