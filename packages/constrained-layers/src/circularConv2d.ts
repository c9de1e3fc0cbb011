import * as tf from '@tensorflow/tfjs-core';
import { circularPad2d, circularPaddingForKernel } from './circularPad2d.js';
import type { circularPad2dAdjoint } from './circularPad2dAdjoint.js';
import type { registerWasmTrainingKernels } from './registerWasmTrainingKernels.js';
import { WasmKernelError } from './wasmKernelError.js';

function normaliseStrides(strides: number | [number, number]): [number, number] {
  const pair: [number, number] = typeof strides === 'number' ? [strides, strides] : strides;
  if (!Array.isArray(pair) || pair.length !== 2 || pair.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new WasmKernelError(
      'strides',
      `must be a positive integer or a pair of them, got ${JSON.stringify(strides)}`,
    );
  }
  return pair;
}

/**
 * Circular (periodic, torus) 2-D convolution of excess_capacity's `conv2d_cyclic_pad` (spec §2.2):
 * `y = conv2d_valid(circularPad2d(x, k), kernel, stride)`, i.e. in index form (p = ⌊k/2⌋ per axis)
 * `y[n,i,j,o] = Σ_{a,b,c} kernel[a,b,c,o] · x[n, (i·s + a − p) mod H, (j·s + b − p) mod W, c]`.
 * The padding depends only on the kernel shape (odd k: p on both sides; even k: p before, p − 1 after), so the
 * output is `⌈H/s⌉ × ⌈W/s⌉`. No bias (add it outside).
 *
 * Gradient on the fast paths: the op is the two differentiable kernels `LipkitCircularPad2D` (a heap copy on wasm,
 * slices + concat elsewhere) and a 'valid' `Conv2D`, so tfjs's autodiff gives `dkernel` = one `Conv2DBackpropFilter`
 * of the saved padded input (im2col × GEMM on wasm after {@link registerWasmTrainingKernels}) and `dx` = one
 * `Conv2DBackpropInput` (stride-phase XNNPACK convs) folded back by {@link circularPad2dAdjoint}. A `tf.customGrad`
 * with the same formulas was measured first and dropped: tfjs evaluates all input gradients of a customGrad eagerly,
 * so the unused image gradient of a net's first layer was computed every step (~7% of a simpleConvnet6 step), while
 * autodiff of registered kernels computes `dx` only when something upstream needs it.
 *
 * @param x NHWC input `[N, H, W, Cin]` (a 3-D `[H, W, Cin]` input gets a batch axis and loses it again).
 * @param kernel tfjs filter layout `[kh, kw, Cin, Cout]` (PyTorch's `K[o,c,a,b]` is `kernel[a,b,c,o]`, spec §13).
 * @param strides one stride for both axes or `[sh, sw]`; default 1.
 * @returns `[N, ⌈H/sh⌉, ⌈W/sw⌉, Cout]` (3-D if `x` was 3-D).
 * @throws {WasmKernelError} on wrong ranks, channel mismatch or bad strides.
 */
export function circularConv2d<T extends tf.Tensor3D | tf.Tensor4D>(
  x: T,
  kernel: tf.Tensor4D,
  strides: number | [number, number] = 1,
): T {
  const [sh, sw] = normaliseStrides(strides);
  if (x.rank !== 4 && x.rank !== 3) {
    throw new WasmKernelError('x', `must be NHWC rank 4 (or HWC rank 3), got shape [${x.shape}]`);
  }
  if (kernel.rank !== 4) {
    throw new WasmKernelError('kernel', `must be [kh, kw, Cin, Cout] (rank 4), got shape [${kernel.shape}]`);
  }
  const [kh, kw, cin] = kernel.shape;
  if (kernel.shape[2] !== x.shape[x.rank - 1]) {
    throw new WasmKernelError('kernel', `Cin = ${cin} must equal the input channels ${x.shape[x.rank - 1]}`);
  }
  const padding = circularPaddingForKernel(kh, kw);
  const conv = (input: tf.Tensor4D): tf.Tensor4D =>
    tf.tidy(() => tf.conv2d(circularPad2d(input, padding), kernel, [sh, sw], 'valid'));
  if (x.rank === 3) {
    return tf.tidy(() => tf.squeeze(conv(tf.expandDims(x, 0)), [0])) as T;
  }
  return conv(x as tf.Tensor4D) as T;
}
