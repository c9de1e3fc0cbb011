import * as tf from '@tensorflow/tfjs-core';
import { CIRCULAR_PAD_2D } from './wasmCircularPad2d.js';
import { WasmKernelError } from './wasmKernelError.js';

/** Wrap-around (torus) pad amounts of an NHWC tensor, in pixels. */
export interface CircularPadding {
  /** Rows prepended at the top, taken from the bottom of the image. */
  top: number;
  /** Rows appended at the bottom, taken from the top of the image. */
  bottom: number;
  /** Columns prepended at the left, taken from the right of the image. */
  left: number;
  /** Columns appended at the right, taken from the left of the image. */
  right: number;
}

/**
 * The circular padding that makes a 'valid' conv with a `kh × kw` kernel a circular conv (spec §2.1, the
 * `cyclic_pad_2d` of excess_capacity / LConvNet): `p = ⌊k/2⌋` rows/columns on the top/left and `k − 1 − p` on the
 * bottom/right (so `p` for odd k, `p − 1` for even k; k = 1 pads nothing), padded size `H + k − 1`.
 */
export function circularPaddingForKernel(kernelHeight: number, kernelWidth: number): CircularPadding {
  for (const [name, k] of [
    ['kernelHeight', kernelHeight],
    ['kernelWidth', kernelWidth],
  ] as const) {
    if (!Number.isInteger(k) || k < 1) throw new WasmKernelError(name, `must be a positive integer, got ${k}`);
  }
  const ph = Math.floor(kernelHeight / 2);
  const pw = Math.floor(kernelWidth / 2);
  return { top: ph, bottom: kernelHeight - 1 - ph, left: pw, right: kernelWidth - 1 - pw };
}

/** A run of consecutive padded positions `[padded, padded + length)` copied from source `[source, source + length)`. */
export interface WrapRun {
  padded: number;
  source: number;
  length: number;
}

/**
 * The padded axis `[0, size + before + after)` split into maximal runs of consecutive source indices
 * `(r − before) mod size` (3 runs in the usual case `before, after ≤ size`; more when the pad wraps repeatedly).
 */
export function wrapRuns(size: number, before: number, after: number): WrapRun[] {
  const runs: WrapRun[] = [];
  const total = size + before + after;
  let r = 0;
  while (r < total) {
    const source = (((r - before) % size) + size) % size;
    const length = Math.min(size - source, total - r);
    runs.push({ padded: r, source, length });
    r += length;
  }
  return runs;
}

/** Pads one spatial axis (1 = rows, 2 = columns) by wrap-around with one slice per run and a concat. */
function wrapAxis(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
  if (before === 0 && after === 0) return x;
  const size = x.shape[axis];
  const pieces = wrapRuns(size, before, after).map(({ source, length }) => {
    if (length === size) return x;
    const begin: [number, number, number, number] = [0, 0, 0, 0];
    const sliceSize: [number, number, number, number] = [-1, -1, -1, -1];
    begin[axis] = source;
    sliceSize[axis] = length;
    return tf.slice(x, begin, sliceSize);
  });
  return tf.concat(pieces, axis);
}

/**
 * Wrap-around (periodic, torus) padding of an NHWC tensor: rows first, then columns from the row-padded tensor,
 * which fills the corners as in spec §2.1. Amounts larger than the image wrap around repeatedly (the original
 * Python code silently mis-pads that case). Differentiable. Runs as one heap-copy kernel on wasm after
 * {@link registerWasmTrainingKernels}, else as slices + concat.
 *
 * @param x NHWC input, shape `[N, H, W, C]`.
 * @param padding pixels per side; see {@link circularPaddingForKernel} for the conv padding of spec §2.1.
 * @returns `[N, H + top + bottom, W + left + right, C]`.
 */
export function circularPad2d(x: tf.Tensor4D, padding: CircularPadding): tf.Tensor4D {
  if (x.rank !== 4) throw new WasmKernelError('x', `must be a rank-4 NHWC tensor, got shape [${x.shape}]`);
  for (const side of ['top', 'bottom', 'left', 'right'] as const) {
    const v = padding[side];
    if (!Number.isInteger(v) || v < 0) throw new WasmKernelError(`padding.${side}`, `must be an integer ≥ 0, got ${v}`);
  }
  if (tf.getKernel(CIRCULAR_PAD_2D, tf.getBackend()) != null) {
    return tf.engine().runKernel(CIRCULAR_PAD_2D, { x }, { ...padding }) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const rows = wrapAxis(x, 1, padding.top, padding.bottom);
    return wrapAxis(rows, 2, padding.left, padding.right);
  });
}
