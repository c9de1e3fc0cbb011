import type * as tf from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasmHeap.js';
import { WasmKernelError } from './wasmKernelError.js';

/**
 * `UnsortedSegmentSum` for the wasm backend, which ships none (tfjs 4.22), so `tf.gather` had no gradient there.
 * `out[segmentIds[i], …] += x[i, …]` where `segmentIds` has the shape of a prefix of `x.shape`; the output has shape
 * `[numSegments, ...x.shape.slice(segmentIds.rank)]`. Ids outside `[0, numSegments)` are dropped, as the cpu
 * backend does (TensorFlow drops negative ids). One pass over `x` in the wasm heap, O(x.size).
 */
export const wasmUnsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const x = inputs.x!;
    const ids = inputs.segmentIds!;
    const numSegments = (attrs as { numSegments: number }).numSegments;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      throw new WasmKernelError('x', `dtype must be float32 or int32 for UnsortedSegmentSum, got ${x.dtype}`);
    }
    if (ids.dtype !== 'int32') {
      throw new WasmKernelError('segmentIds', `dtype must be int32, got ${ids.dtype}`);
    }
    if (!Number.isInteger(numSegments) || numSegments < 0) {
      throw new WasmKernelError('numSegments', `must be an integer ≥ 0, got ${numSegments}`);
    }
    const idsRank = ids.shape.length;
    if (idsRank > x.shape.length || ids.shape.some((d, i) => d !== x.shape[i])) {
      throw new WasmKernelError('segmentIds', `shape [${ids.shape}] must be a prefix of x.shape [${x.shape}]`);
    }
    const wasm = backend as WasmHeapBackend;
    const inner = x.shape.slice(idsRank).reduce((p, d) => p * d, 1);
    const out = wasm.makeOutput([numSegments, ...x.shape.slice(idsRank)], x.dtype);
    // Views after makeOutput: allocating may grow (and detach) the heap.
    const outData = wasm.typedArrayFromHeap(out);
    const xData = wasm.typedArrayFromHeap(x);
    const idData = wasm.typedArrayFromHeap(ids);
    outData.fill(0);
    for (let i = 0; i < idData.length; i++) {
      const seg = idData[i]!;
      if (seg < 0 || seg >= numSegments) continue;
      const src = i * inner;
      const dst = seg * inner;
      for (let j = 0; j < inner; j++) outData[dst + j]! += xData[src + j]!;
    }
    return out;
  },
};
