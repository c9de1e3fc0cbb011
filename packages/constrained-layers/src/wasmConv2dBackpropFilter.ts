import * as tf from '@tensorflow/tfjs-core';
import { fillPatchesTransposed } from './im2col.js';
import { kernelInputTensor } from './kernelInputTensor.js';
import {
  allocateHeapTensor,
  type ConvGradientAttrs,
  heapView,
  nhwcConvGradientAttrs,
  patchGeometry,
  type WasmHeapBackend,
} from './wasmHeap.js';

/**
 * `Conv2DBackpropFilter` for the wasm backend, which ships none (tfjs 4.22). NHWC, dilation 1. One GEMM:
 * `dW[(a,b,c), o] = Σ_m patchesᵀ[(a,b,c), m] · dy[m, o]` with the transposed im2col patch matrix
 * (`[kh·kw·Cin, N·Ho·Wo]`, written by a JS loop straight into the wasm heap) as the streamed left operand and `dy`
 * (`[N·Ho·Wo, Cout]`) as the right one; the result is already in tfjs filter layout `[kh, kw, Cin, Cout]`.
 * Measured choices (tfjs-backend-wasm 4.22): BatchMatMul runs 10–24 GFLOP/s without transpose flags but < 1 with
 * `transposeA`/`transposeB`, packs its right operand on every call (so that one should be the small one), and its
 * StridedSlice (a tf-op im2col) is ~100× slower than the JS copy.
 */
export const wasmConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const a = nhwcConvGradientAttrs<ConvGradientAttrs & { filterShape: [number, number, number, number] }>(
      attrs,
      'Conv2DBackpropFilter',
    );
    const heap = backend as WasmHeapBackend;
    return tf.tidy(() => {
      const x = kernelInputTensor<tf.Tensor4D>(inputs.x!, backend);
      const dy = kernelInputTensor<tf.Tensor4D>(inputs.dy!, backend);
      const g = patchGeometry(x.shape, a.filterShape, a.strides, a.pad, a.dimRoundingMode);
      const rows = g.n * g.ho * g.wo;
      const patchesT = allocateHeapTensor(heap, [g.kh * g.kw * g.c, rows]);
      fillPatchesTransposed(heapView(heap, x), heapView(heap, patchesT), g);
      return tf.reshape(tf.matMul(patchesT, tf.reshape(dy, [rows, a.filterShape[3]])), a.filterShape);
    });
  },
};
