/**
 * A conv2d layer (or an average pooling, which is a conv with a channel-diagonal kernel of 1/(kh·kw)) as a
 * {@link LayerOperator} over the numeric core's exact float64 conv and adjoint.
 */
import {
  type Conv2dGeometry,
  type ConvKernel,
  conv2dAdjoint,
  conv2dForward,
  conv2dInputSize,
  conv2dOutputSize,
} from './conv2dOperator.js';
import { convSpectralNormUpperBound } from './convSpectralNormUpperBound.js';
import type { LayerOperator, SparseRow } from './layerOperator.js';

function sourceIndex(
  position: number,
  offset: number,
  stride: number,
  padBefore: number,
  size: number,
  circular: boolean,
) {
  const r = position * stride + offset - padBefore;
  if (circular) return ((r % size) + size) % size;
  return r >= 0 && r < size ? r : -1;
}

/** Wraps a conv kernel and its geometry (PyTorch layout, channels-first). */
export function createConvLayerOperator(kernel: ConvKernel, geometry: Conv2dGeometry): LayerOperator {
  const g = geometry;
  const squared: ConvKernel = { shape: kernel.shape, data: kernel.data.map((v) => v * v) };
  const circular = g.paddingMode === 'circular';
  const inputSize = conv2dInputSize(g);
  const rowOf = (j: number): SparseRow => {
    const ow = j % g.outputWidth;
    const oh = Math.floor(j / g.outputWidth) % g.outputHeight;
    const o = Math.floor(j / (g.outputWidth * g.outputHeight));
    const columns: number[] = [];
    const values: number[] = [];
    for (let c = 0; c < g.inChannels; c++) {
      for (let a = 0; a < g.kernelHeight; a++) {
        const r = sourceIndex(oh, a, g.strideHeight, g.padTop, g.inputHeight, circular);
        if (r < 0) continue;
        for (let b = 0; b < g.kernelWidth; b++) {
          const s = sourceIndex(ow, b, g.strideWidth, g.padLeft, g.inputWidth, circular);
          if (s < 0) continue;
          const v = kernel.data[((o * g.inChannels + c) * g.kernelHeight + a) * g.kernelWidth + b] as number;
          if (v === 0) continue;
          columns.push((c * g.inputHeight + r) * g.inputWidth + s);
          values.push(v);
        }
      }
    }
    return { columns: Int32Array.from(columns), values: Float64Array.from(values) };
  };
  // All rows in compressed sparse row form, built once on first use (the bounds read rows many times).
  let cache: { rowStart: Int32Array; columns: Int32Array; values: Float64Array } | null = null;
  const allRows = () => {
    const m = conv2dOutputSize(g);
    const rows = Array.from({ length: m }, (_, j) => rowOf(j));
    const rowStart = new Int32Array(m + 1);
    rows.forEach((r, j) => {
      rowStart[j + 1] = (rowStart[j] as number) + r.columns.length;
    });
    const columns = new Int32Array(rowStart[m] as number);
    const values = new Float64Array(rowStart[m] as number);
    rows.forEach((r, j) => {
      columns.set(r.columns, rowStart[j] as number);
      values.set(r.values, rowStart[j] as number);
    });
    return { rowStart, columns, values };
  };
  return {
    inputSize,
    outputSize: conv2dOutputSize(g),
    apply: (x) => conv2dForward(kernel, x, g),
    applyAdjoint: (y) => conv2dAdjoint(kernel, y, g),
    // Spec §4.3 shortcut: ‖a_jᵀD‖² = conv(d, K⊙K) — exact because the kernel taps of one output never hit the same
    // input twice (zero padding; circular padding with a kernel no larger than the input, checked on load).
    rowNormsSquared(mask) {
      const d = new Float64Array(inputSize);
      for (let i = 0; i < inputSize; i++) d[i] = mask === null || mask[i] !== 0 ? 1 : 0;
      return conv2dForward(squared, d, g);
    },
    row(j): SparseRow {
      if (cache === null && (conv2dOutputSize(g) * kernel.data.length) / g.outChannels <= 3e7) cache = allRows();
      if (cache !== null) {
        const lo = cache.rowStart[j] as number;
        const hi = cache.rowStart[j + 1] as number;
        return { columns: cache.columns.subarray(lo, hi), values: cache.values.subarray(lo, hi) };
      }
      return rowOf(j);
    },
    normUpperBound: () => convSpectralNormUpperBound(kernel, g),
  };
}

/** The channel-diagonal kernel of an average pooling (count_include_pad, as PyTorch's default). */
export function averagePoolKernel(channels: number, kernel: [number, number]): ConvKernel {
  const [kh, kw] = kernel;
  const data = new Float64Array(channels * channels * kh * kw);
  const w = 1 / (kh * kw);
  for (let c = 0; c < channels; c++) data.fill(w, (c * channels + c) * kh * kw, (c * channels + c + 1) * kh * kw);
  return { shape: [channels, channels, kh, kw], data };
}
