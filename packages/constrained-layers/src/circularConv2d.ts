import * as tf from '@tensorflow/tfjs-core';
import { circularPad2d, circularPaddingForKernel } from './circularPad2d.js';
import { circularPad2dAdjoint } from './circularPad2dAdjoint.js';
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
 * Custom gradient on the fast paths: `dkernel` is one `Conv2DBackpropFilter` of the padded input (im2col × GEMM on
 * wasm after {@link registerWasmTrainingKernels}), `dx` is one `Conv2DBackpropInput` (stride-phase forward convs on
 * wasm) folded back through the wrap-around ({@link circularPad2dAdjoint}); the padded input is kept from the forward
 * pass instead of being recomputed.
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
  const forward = (input: tf.Tensor4D, filter: tf.Tensor4D, save: tf.GradSaveFunc) => {
    const xpad = circularPad2d(input, padding);
    save([xpad, filter]);
    return {
      value: tf.conv2d(xpad, filter, [sh, sw], 'valid'),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]): tf.Tensor4D[] => {
        const [xp, k] = saved as [tf.Tensor4D, tf.Tensor4D];
        const attrs = { strides: [sh, sw], pad: 'valid', dataFormat: 'NHWC' };
        const dx = tf.tidy(() => {
          const dxpad = tf
            .engine()
            .runKernel('Conv2DBackpropInput', { dy, filter: k }, { ...attrs, inputShape: xp.shape }) as tf.Tensor4D;
          return circularPad2dAdjoint(dxpad, padding);
        });
        const dk = tf.engine().runKernel('Conv2DBackpropFilter', { x: xp, dy }, { ...attrs, filterShape: k.shape });
        return [dx, dk as tf.Tensor4D];
      },
    };
  };
  // tfjs types customGrad's function as variadic over (Tensor | GradSaveFunc); ours has a fixed signature.
  const conv = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad<tf.Tensor4D>>[0]);
  if (x.rank === 3) {
    return tf.tidy(() => tf.squeeze(conv(tf.expandDims(x, 0), kernel) as tf.Tensor4D, [0])) as T;
  }
  return conv(x, kernel) as T;
}
