import * as tf from '@tensorflow/tfjs-core';
import { kernelInputTensor } from './kernelInputTensor.js';
import { WasmKernelError } from './wasmKernelError.js';

/** Attributes tfjs passes to the `Conv2DBackpropFilter` kernel (see tfjs-core `conv2DBackpropFilter`). */
interface Conv2dBackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Filter gradient of a 2-D convolution (NHWC, dilation 1) as one matrix product:
 * `dW[a,b,c,o] = Σ_{n,i,j} xpad[n, i·s+a, j·s+b, c] · dy[n,i,j,o]`, i.e. `patchesᵀ · dy` with the im2col patch
 * matrix `patches[(n,i,j), (a,b,c)]` (`[N·Ho·Wo, kh·kw·Cin]`) built from `kh·kw` strided slices of the zero-padded
 * input and `dy` as `[N·Ho·Wo, Cout]`. The product runs on the backend's BatchMatMul (XNNPACK GEMM on wasm).
 *
 * @param x input `[N, H, W, Cin]`; @param dy output gradient `[N, Ho, Wo, Cout]`.
 * @returns `[kh, kw, Cin, Cout]` (tfjs filter layout).
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Conv2dBackpropFilterAttrs['pad'],
  dimRoundingMode?: Conv2dBackpropFilterAttrs['dimRoundingMode'],
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
  const { strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo, padInfo } = info;
  const [kh, kw, cin, cout] = filterShape;
  const n = x.shape[0];
  return tf.tidy(() => {
    const needsPad = padInfo.top + padInfo.bottom + padInfo.left + padInfo.right > 0;
    const xpad = needsPad
      ? tf.pad(x, [
          [0, 0],
          [padInfo.top, padInfo.bottom],
          [padInfo.left, padInfo.right],
          [0, 0],
        ])
      : x;
    const patches: tf.Tensor4D[] = [];
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        patches.push(
          tf.stridedSlice(
            xpad,
            [0, a, b, 0],
            [n, a + (ho - 1) * sh + 1, b + (wo - 1) * sw + 1, cin],
            [1, sh, sw, 1],
          ) as tf.Tensor4D,
        );
      }
    }
    const cols = tf.reshape(patches.length === 1 ? patches[0]! : tf.concat(patches, 3), [n * ho * wo, kh * kw * cin]);
    const dW = tf.matMul(cols, tf.reshape(dy, [n * ho * wo, cout]), true, false);
    return tf.reshape(dW, filterShape);
  });
}

/** `Conv2DBackpropFilter` for the wasm backend, which ships none (tfjs 4.22). NHWC only. */
export const wasmConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const a = attrs as unknown as Conv2dBackpropFilterAttrs;
    if (a.dataFormat !== 'NHWC') {
      throw new WasmKernelError(
        'dataFormat',
        `must be 'NHWC' for the wasm Conv2DBackpropFilter, got '${a.dataFormat}'`,
      );
    }
    return tf.tidy(() => {
      const x = kernelInputTensor<tf.Tensor4D>(inputs.x!, backend);
      const dy = kernelInputTensor<tf.Tensor4D>(inputs.dy!, backend);
      return conv2dFilterGradient(x, dy, a.filterShape, a.strides, a.pad, a.dimRoundingMode);
    });
  },
};
