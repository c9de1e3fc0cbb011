import * as tf from '@tensorflow/tfjs-core';
import { kernelInputTensor } from './kernelInputTensor.js';
import {
  allocateHeapTensor,
  type ConvGradientAttrs,
  heapView,
  nhwcConvGradientAttrs,
  patchGeometry,
  type WasmHeapBackend,
} from './wasmHeap.js';

/** One spatial axis of the phase decomposition: the taps and the conv padding of phase `rho`. */
interface AxisPhase {
  rho: number;
  /** Taps `rho, rho + s, …` of the kernel along this axis: `ceil((k − rho)/s)`, may be 0. */
  taps: number;
  /** Explicit conv padding of dy before / after (negative = crop dy instead). */
  before: number;
  after: number;
}

function axisPhases(k: number, s: number, first: number, count: number, outSize: number): AxisPhase[] {
  return Array.from({ length: s }, (_, rho) => {
    const taps = Math.max(0, Math.ceil((k - rho) / s));
    return { rho, taps, before: taps - 1 - first, after: first + count - outSize };
  });
}

/**
 * The flipped sub-kernel of one phase with in/out channels swapped, written in JS into the heap:
 * `sub[t, t', o, c] = W[ρ + s_h·(T−1−t), σ + s_w·(T'−1−t'), c, o]`, shape `[T, T', Cout, Cin]`.
 */
function phaseKernel(heap: WasmHeapBackend, filter: tf.Tensor4D, rows: AxisPhase, cols: AxisPhase, s: number[]) {
  const [, kw, cin, cout] = filter.shape;
  const sub = allocateHeapTensor(heap, [rows.taps, cols.taps, cout, cin]) as tf.Tensor4D;
  const out = heapView(heap, sub);
  const w = heapView(heap, filter);
  let dst = 0;
  for (let t = 0; t < rows.taps; t++) {
    const a = rows.rho + s[0]! * (rows.taps - 1 - t);
    for (let u = 0; u < cols.taps; u++) {
      const b = cols.rho + s[1]! * (cols.taps - 1 - u);
      const base = (a * kw + b) * cin * cout;
      for (let o = 0; o < cout; o++) for (let c = 0; c < cin; c++) out[dst++] = w[base + c * cout + o]!;
    }
  }
  return sub;
}

/** Crops `dy` where a phase's padding is negative, so that the rest is a plain explicit conv padding. */
function cropForPhase(dy: tf.Tensor4D, rows: AxisPhase, cols: AxisPhase): tf.Tensor4D {
  const top = Math.max(0, -rows.before);
  const bottom = Math.max(0, -rows.after);
  const left = Math.max(0, -cols.before);
  const right = Math.max(0, -cols.after);
  if (top + bottom + left + right === 0) return dy;
  const [n, h, w, c] = dy.shape;
  return tf.slice(dy, [0, top, left, 0], [n, h - top - bottom, w - left - right, c]);
}

/**
 * `Conv2DBackpropInput` for the wasm backend, replacing the shipped direct loop (~2.5 GFLOP/s). NHWC, dilation 1.
 * Phase (sub-pixel) decomposition of the transposed convolution into `s_h·s_w` stride-1 forward convolutions on
 * XNNPACK: in the zero-padded input frame, row `r = s·u + ρ` receives only the taps `a = ρ + s·t`, so
 * `dxpad[s·u+ρ] = Σ_t W[ρ+s·t] · dy[u−t]`, a correlation of `dy` with the flipped sub-kernel `W[ρ::s]` (channels
 * swapped). Exactly the FLOPs of the forward conv, no zero-dilated `dy`. The sub-kernels are cut and the phases
 * interleaved into `dx` by JS loops on the wasm heap (tfjs-backend-wasm's StridedSlice/Pack/Slice kernels cost more
 * than the convs). Measured alternative, slower: GEMM `dy · Wᵀ` + col2im (the JS scatter-add dominates).
 */
export const wasmConv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const a = nhwcConvGradientAttrs<ConvGradientAttrs & { inputShape: [number, number, number, number] }>(
      attrs,
      'Conv2DBackpropInput',
    );
    const heap = backend as WasmHeapBackend;
    return tf.tidy(() => {
      const dy = kernelInputTensor<tf.Tensor4D>(inputs.dy!, backend);
      const filter = kernelInputTensor<tf.Tensor4D>(inputs.filter!, backend);
      const g = patchGeometry(a.inputShape, filter.shape, a.strides, a.pad, a.dimRoundingMode);
      const [n, h, w, cin] = a.inputShape;
      // Padded-frame rows [top, top + h) are needed; phase grids cover rows [u0·s, (u0 + U)·s).
      const u0 = Math.floor(g.top / g.sh);
      const v0 = Math.floor(g.left / g.sw);
      const uCount = Math.ceil((g.top + h) / g.sh) - u0;
      const vCount = Math.ceil((g.left + w) / g.sw) - v0;
      const rowPhases = axisPhases(g.kh, g.sh, u0, uCount, g.ho);
      const colPhases = axisPhases(g.kw, g.sw, v0, vCount, g.wo);
      const phases: { rows: AxisPhase; cols: AxisPhase; y: tf.Tensor4D }[] = [];
      for (const rows of rowPhases) {
        for (const cols of colPhases) {
          if (rows.taps === 0 || cols.taps === 0) continue;
          const sub = phaseKernel(heap, filter, rows, cols, [g.sh, g.sw]);
          const y = tf.conv2d(cropForPhase(dy, rows, cols), sub, 1, [
            [0, 0],
            [Math.max(0, rows.before), Math.max(0, rows.after)],
            [Math.max(0, cols.before), Math.max(0, cols.after)],
            [0, 0],
          ]);
          phases.push({ rows, cols, y });
        }
      }
      const dx = allocateHeapTensor(heap, a.inputShape);
      const out = heapView(heap, dx);
      if (phases.length < g.sh * g.sw) out.fill(0); // phases without taps contribute zeros
      const top = g.top - u0 * g.sh;
      const left = g.left - v0 * g.sw;
      for (const { rows, cols, y } of phases) {
        const src = heapView(heap, y);
        for (let b = 0; b < n; b++) {
          for (let u = 0; u < uCount; u++) {
            const r = u * g.sh + rows.rho - top;
            if (r < 0 || r >= h) continue;
            for (let v = 0; v < vCount; v++) {
              const q = v * g.sw + cols.rho - left;
              if (q < 0 || q >= w) continue;
              const from = ((b * uCount + u) * vCount + v) * cin;
              out.set(src.subarray(from, from + cin), ((b * h + r) * w + q) * cin);
            }
          }
        }
      }
      return dx;
    });
  },
};
