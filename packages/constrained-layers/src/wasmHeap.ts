import * as tf from '@tensorflow/tfjs-core';
import type { PatchGeometry } from './im2col.js';
import { WasmKernelError } from './wasmKernelError.js';

/**
 * The public methods of tfjs-backend-wasm's `BackendWasm` that lipkit's kernels use to read and write tensors in
 * the wasm heap directly (typed-array views; JS loops over them are far faster than tfjs-backend-wasm 4.22's
 * Slice/StridedSlice/Transpose kernels, measured 0.2–0.05 GB/s).
 */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: object): void;
}

/** A new float32 heap tensor and its view (taken after allocation, which may grow and detach the heap). */
export function allocateHeapTensor(backend: WasmHeapBackend, shape: number[]): tf.Tensor {
  const info = backend.makeOutput(shape, 'float32');
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** The float32 heap view of a wasm tensor. Re-take views after any allocation. */
export function heapView(backend: WasmHeapBackend, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** The im2col geometry of a conv from tfjs's own conv arithmetic (so 'same'/'valid'/explicit pads agree with tfjs). */
export function patchGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): PatchGeometry {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
  return {
    n: xShape[0],
    h: xShape[1],
    w: xShape[2],
    c: xShape[3],
    kh: filterShape[0],
    kw: filterShape[1],
    sh: info.strideHeight,
    sw: info.strideWidth,
    ho: info.outHeight,
    wo: info.outWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

/** Attributes tfjs passes to the conv gradient kernels (tfjs-core `conv2DBackpropFilter` / `conv2DBackpropInput`). */
export interface ConvGradientAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** A conv gradient kernel's attributes; throws for NCHW, which lipkit's wasm kernels do not implement. */
export function nhwcConvGradientAttrs<T extends ConvGradientAttrs>(
  attrs: tf.NamedAttrMap | undefined,
  kernel: string,
): T {
  const a = attrs as unknown as T;
  if (a.dataFormat !== 'NHWC') {
    throw new WasmKernelError('dataFormat', `must be 'NHWC' for the wasm ${kernel}, got '${a.dataFormat}'`);
  }
  return a;
}
