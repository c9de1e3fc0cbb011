import { assertLength, assertPositiveInteger, NumericCoreError } from './numericCoreError.js';

/** A conv kernel in PyTorch layout `[Cout, Cin, kh, kw]`, float64, row-major (last index fastest). */
export interface ConvKernel {
  readonly shape: readonly [number, number, number, number];
  readonly data: Float64Array;
}

/** How the input border is filled: `zeros` (PyTorch default) or `circular` (periodic wrap, a torus). */
export type Conv2dPaddingMode = 'zeros' | 'circular';

/** Options of {@link conv2dGeometry}. */
export interface Conv2dOptions {
  /** Stride `s` or `[sh, sw]`; default 1. */
  stride?: number | readonly [number, number];
  /**
   * Padding: `p` (all sides), `[ph, pw]` (PyTorch: ph rows top and bottom, pw columns left and right), or
   * `[top, bottom, left, right]` (e.g. the asymmetric circular padding of even kernels). Default 0.
   */
  padding?: number | readonly [number, number] | readonly [number, number, number, number];
  /** Default `zeros`. */
  paddingMode?: Conv2dPaddingMode;
}

/** The resolved geometry of a 2-D convolution on a channels-first (C, H, W) input; see {@link conv2dGeometry}. */
export interface Conv2dGeometry {
  readonly outChannels: number;
  readonly inChannels: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly inputHeight: number;
  readonly inputWidth: number;
  readonly outputHeight: number;
  readonly outputWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  readonly paddingMode: Conv2dPaddingMode;
}

/**
 * The padding of the "same-size" circular convolution of lipkit's constrained layers (excess-capacity spec §2.1):
 * `⌊k/2⌋` rows/columns on the top/left and `k − 1 − ⌊k/2⌋` on the bottom/right, so a stride-1 conv keeps the size
 * and an even kernel (k = 2) is padded on the top/left only. Returns `[top, bottom, left, right]`.
 */
export function circularSamePadding(kernelHeight: number, kernelWidth: number): [number, number, number, number] {
  const top = Math.floor(kernelHeight / 2);
  const left = Math.floor(kernelWidth / 2);
  return [top, kernelHeight - 1 - top, left, kernelWidth - 1 - left];
}

function pair(argument: string, value: number | readonly number[] | undefined, fallback: number): [number, number] {
  if (value === undefined) return [fallback, fallback];
  if (typeof value === 'number') return [value, value];
  if (value.length !== 2) throw new NumericCoreError(argument, `has ${value.length} entries`, 'a number or [h, w]');
  return [value[0]!, value[1]!];
}

function paddingOf(options: Conv2dOptions): [number, number, number, number] {
  const padding: number | readonly number[] | undefined = options.padding;
  if (padding === undefined || typeof padding === 'number') {
    const p = padding ?? 0;
    return [p, p, p, p];
  }
  if (padding.length === 2) return [padding[0]!, padding[0]!, padding[1]!, padding[1]!];
  if (padding.length === 4) return [padding[0]!, padding[1]!, padding[2]!, padding[3]!];
  throw new NumericCoreError('padding', `has ${padding.length} entries`, 'p, [ph, pw] or [top, bottom, left, right]');
}

/**
 * Resolves and validates the geometry of `y = conv2d(x, K)` (cross-correlation, as PyTorch and tfjs):
 * `y[o,i,j] = Σ_{c,a,b} K[o,c,a,b] · x̃[c, i·sh + a − top, j·sw + b − left]`, where x̃ is x extended by zeros
 * (`zeros`) or periodically, `x̃[c,r,s] = x[c, r mod H, s mod W]` (`circular`). Output size
 * `Hout = ⌊(H + top + bottom − kh)/sh⌋ + 1` (likewise W).
 *
 * @param kernelShape `[Cout, Cin, kh, kw]` (PyTorch layout).
 * @param inputShape `[C, H, W]` with C = Cin.
 * @throws NumericCoreError for non-integer or non-positive sizes, negative padding, a channel mismatch, or a kernel
 *   larger than the padded input (no output position).
 */
export function conv2dGeometry(
  kernelShape: readonly number[],
  inputShape: readonly number[],
  options: Conv2dOptions = {},
): Conv2dGeometry {
  if (kernelShape.length !== 4) {
    throw new NumericCoreError('kernel.shape', `has ${kernelShape.length} dimensions`, '[Cout, Cin, kh, kw]');
  }
  if (inputShape.length !== 3) {
    throw new NumericCoreError('inputShape', `has ${inputShape.length} dimensions`, '[C, H, W]');
  }
  const [outChannels, inChannels, kernelHeight, kernelWidth] = kernelShape as [number, number, number, number];
  const [channels, inputHeight, inputWidth] = inputShape as [number, number, number];
  for (const [name, value] of [
    ['kernel.shape[0]', outChannels],
    ['kernel.shape[1]', inChannels],
    ['kernel.shape[2]', kernelHeight],
    ['kernel.shape[3]', kernelWidth],
    ['inputShape[0]', channels],
    ['inputShape[1]', inputHeight],
    ['inputShape[2]', inputWidth],
  ] as const) {
    assertPositiveInteger(name, value);
  }
  if (channels !== inChannels) {
    throw new NumericCoreError('inputShape[0]', `is ${channels} but the kernel has Cin = ${inChannels}`, 'Cin');
  }
  const [strideHeight, strideWidth] = pair('stride', options.stride, 1);
  assertPositiveInteger('stride', strideHeight);
  assertPositiveInteger('stride', strideWidth);
  const [padTop, padBottom, padLeft, padRight] = paddingOf(options);
  for (const p of [padTop, padBottom, padLeft, padRight]) {
    if (!Number.isInteger(p) || p < 0) throw new NumericCoreError('padding', `got ${p}`, 'non-negative integers');
  }
  const paddingMode = options.paddingMode ?? 'zeros';
  if (paddingMode !== 'zeros' && paddingMode !== 'circular') {
    throw new NumericCoreError('paddingMode', `got ${String(paddingMode)}`, "'zeros' or 'circular'");
  }
  const paddedHeight = inputHeight + padTop + padBottom;
  const paddedWidth = inputWidth + padLeft + padRight;
  if (kernelHeight > paddedHeight || kernelWidth > paddedWidth) {
    throw new NumericCoreError(
      'kernel.shape',
      `kernel ${kernelHeight}×${kernelWidth} is larger than the padded input ${paddedHeight}×${paddedWidth}`,
      'a kernel no larger than the padded input',
    );
  }
  return {
    outChannels,
    inChannels,
    kernelHeight,
    kernelWidth,
    inputHeight,
    inputWidth,
    outputHeight: Math.floor((paddedHeight - kernelHeight) / strideHeight) + 1,
    outputWidth: Math.floor((paddedWidth - kernelWidth) / strideWidth) + 1,
    strideHeight,
    strideWidth,
    padTop,
    padBottom,
    padLeft,
    padRight,
    paddingMode,
  };
}

/** Number of input values C·H·W of the geometry. */
export function conv2dInputSize(g: Conv2dGeometry): number {
  return g.inChannels * g.inputHeight * g.inputWidth;
}

/** Number of output values Cout·Hout·Wout of the geometry. */
export function conv2dOutputSize(g: Conv2dGeometry): number {
  return g.outChannels * g.outputHeight * g.outputWidth;
}

/**
 * Input row/column index read by kernel offset `offset` at output position `position`, or −1 for a zero pad.
 * Index tables `[offset][position]` keep the inner loops free of branches on the padding mode.
 */
function sourceIndexTable(
  kernelSize: number,
  outputSize: number,
  inputSize: number,
  stride: number,
  padBefore: number,
  circular: boolean,
): Int32Array {
  const table = new Int32Array(kernelSize * outputSize);
  for (let a = 0; a < kernelSize; a++) {
    for (let i = 0; i < outputSize; i++) {
      const r = i * stride + a - padBefore;
      table[a * outputSize + i] = circular
        ? ((r % inputSize) + inputSize) % inputSize
        : r >= 0 && r < inputSize
          ? r
          : -1;
    }
  }
  return table;
}

/**
 * Column runs per kernel column b: triples (jStart, jEnd, sStart) such that output columns j ∈ [jStart, jEnd) read
 * input column sStart + (j − jStart)·sw — contiguous stretches of the index table, so the inner loops carry no
 * padding branch (a zero-padded conv has one run per b, a circular one a few more where it wraps).
 */
function columnRuns(table: Int32Array, kernelWidth: number, outputWidth: number, stride: number): Int32Array[] {
  const runs: Int32Array[] = [];
  for (let b = 0; b < kernelWidth; b++) {
    const list: number[] = [];
    let j = 0;
    while (j < outputWidth) {
      const s = table[b * outputWidth + j]!;
      if (s < 0) {
        j++;
        continue;
      }
      let end = j + 1;
      while (end < outputWidth && table[b * outputWidth + end] === s + (end - j) * stride) end++;
      list.push(j, end, s);
      j = end;
    }
    runs.push(Int32Array.from(list));
  }
  return runs;
}

interface IndexTables {
  rows: Int32Array;
  runs: Int32Array[];
}

const tableCache = new WeakMap<Conv2dGeometry, IndexTables>();

function tablesOf(g: Conv2dGeometry): IndexTables {
  let tables = tableCache.get(g);
  if (tables === undefined) {
    const circular = g.paddingMode === 'circular';
    const cols = sourceIndexTable(g.kernelWidth, g.outputWidth, g.inputWidth, g.strideWidth, g.padLeft, circular);
    tables = {
      rows: sourceIndexTable(g.kernelHeight, g.outputHeight, g.inputHeight, g.strideHeight, g.padTop, circular),
      runs: columnRuns(cols, g.kernelWidth, g.outputWidth, g.strideWidth),
    };
    tableCache.set(g, tables);
  }
  return tables;
}

function checkKernel(kernel: ConvKernel, g: Conv2dGeometry): void {
  const [co, ci, kh, kw] = kernel.shape;
  if (co !== g.outChannels || ci !== g.inChannels || kh !== g.kernelHeight || kw !== g.kernelWidth) {
    throw new NumericCoreError(
      'kernel.shape',
      `is [${kernel.shape.join(', ')}] but the geometry expects [${g.outChannels}, ${g.inChannels}, ${g.kernelHeight}, ${g.kernelWidth}]`,
      'the shape the geometry was built for',
    );
  }
  assertLength('kernel.data', kernel.data, co * ci * kh * kw);
}

/**
 * Stride-1 fast path: x is padded once (zeros or periodic wrap) to Hp×Wp, and the output is computed on rows of
 * the padded width Wp, so every kernel tap is ONE contiguous multiply-add loop of length (Hout−1)·Wp + Wout
 * (y_ext[t] += K·xp[t + a·Wp + b]); the Wp − Wout extra columns per row are dropped. Its adjoint runs the same loops
 * backwards and folds the padded image back (wrapped entries added to their source for circular padding).
 */
function paddedSize(g: Conv2dGeometry): [number, number] {
  return [g.inputHeight + g.padTop + g.padBottom, g.inputWidth + g.padLeft + g.padRight];
}

function padInput(x: Float64Array, g: Conv2dGeometry): Float64Array {
  const [hp, wp] = paddedSize(g);
  const padded = new Float64Array(g.inChannels * hp * wp);
  transferPadding(x, padded, g, 'pad');
  return padded;
}

/** Adjoint of {@link padInput}: x[c, r, s] = Σ of the padded entries that copy it. */
function foldPadded(padded: Float64Array, g: Conv2dGeometry, x: Float64Array): void {
  transferPadding(x, padded, g, 'fold');
}

/**
 * The index map shared by {@link padInput} and its adjoint {@link foldPadded}: every padded entry (c, r, q) copies
 * x[c, r − padTop, q − padLeft] (wrapped for circular padding, absent outside the input for zeros). `'pad'` writes the
 * padded grid, `'fold'` accumulates it back into x (a loop-invariant branch).
 */
function transferPadding(x: Float64Array, padded: Float64Array, g: Conv2dGeometry, direction: 'pad' | 'fold'): void {
  const [hp, wp] = paddedSize(g);
  const { inChannels, inputHeight: h, inputWidth: w } = g;
  const circular = g.paddingMode === 'circular';
  const pad = direction === 'pad';
  for (let c = 0; c < inChannels; c++)
    for (let r = 0; r < hp; r++) {
      let sr = r - g.padTop;
      if (circular) sr = ((sr % h) + h) % h;
      else if (sr < 0 || sr >= h) continue;
      const paddedRow = (c * hp + r) * wp;
      const inputRow = (c * h + sr) * w;
      for (let q = 0; q < wp; q++) {
        let sq = q - g.padLeft;
        if (circular) sq = ((sq % w) + w) % w;
        else if (sq < 0 || sq >= w) continue;
        if (pad) padded[paddedRow + q] = x[inputRow + sq]!;
        else x[inputRow + sq]! += padded[paddedRow + q]!;
      }
    }
}

function isStrideOne(g: Conv2dGeometry): boolean {
  return g.strideHeight === 1 && g.strideWidth === 1;
}

function forwardStrideOne(kernel: ConvKernel, x: Float64Array, g: Conv2dGeometry, y: Float64Array): void {
  const [hp, wp] = paddedSize(g);
  const padded = padInput(x, g);
  const { outChannels, inChannels, kernelHeight: kh, kernelWidth: kw, outputHeight: ho, outputWidth: wo } = g;
  const span = (ho - 1) * wp + wo;
  const extended = new Float64Array(outChannels * ho * wp);
  const k = kernel.data;
  for (let o = 0; o < outChannels; o++) {
    const yBase = o * ho * wp;
    for (let c = 0; c < inChannels; c++)
      for (let a = 0; a < kh; a++)
        for (let b = 0; b < kw; b++) {
          const weight = k[((o * inChannels + c) * kh + a) * kw + b]!;
          if (weight === 0) continue;
          const xBase = (c * hp + a) * wp + b;
          for (let t = 0; t < span; t++) extended[yBase + t]! += weight * padded[xBase + t]!;
        }
    for (let i = 0; i < ho; i++) y.set(extended.subarray(yBase + i * wp, yBase + i * wp + wo), (o * ho + i) * wo);
  }
}

function adjointStrideOne(kernel: ConvKernel, y: Float64Array, g: Conv2dGeometry, x: Float64Array): void {
  const [hp, wp] = paddedSize(g);
  const { outChannels, inChannels, kernelHeight: kh, kernelWidth: kw, outputHeight: ho, outputWidth: wo } = g;
  const span = (ho - 1) * wp + wo;
  const extended = new Float64Array(outChannels * ho * wp);
  for (let o = 0; o < outChannels; o++)
    for (let i = 0; i < ho; i++) extended.set(y.subarray((o * ho + i) * wo, (o * ho + i + 1) * wo), (o * ho + i) * wp);
  const padded = new Float64Array(inChannels * hp * wp);
  const k = kernel.data;
  for (let o = 0; o < outChannels; o++) {
    const yBase = o * ho * wp;
    for (let c = 0; c < inChannels; c++)
      for (let a = 0; a < kh; a++)
        for (let b = 0; b < kw; b++) {
          const weight = k[((o * inChannels + c) * kh + a) * kw + b]!;
          if (weight === 0) continue;
          const xBase = (c * hp + a) * wp + b;
          for (let t = 0; t < span; t++) padded[xBase + t]! += weight * extended[yBase + t]!;
        }
  }
  foldPadded(padded, g, x);
}

/**
 * The convolution `y = A x` in float64 (cross-correlation; the formula of {@link conv2dGeometry}), bias-free.
 *
 * @param kernel `[Cout, Cin, kh, kw]` (PyTorch layout).
 * @param x the input, (C, H, W) row-major, length Cin·H·W.
 * @param out optional output buffer of length Cout·Hout·Wout (overwritten).
 * @returns y, (Cout, Hout, Wout) row-major.
 */
export function conv2dForward(
  kernel: ConvKernel,
  x: Float64Array,
  geometry: Conv2dGeometry,
  out?: Float64Array,
): Float64Array {
  checkKernel(kernel, geometry);
  assertLength('x', x, conv2dInputSize(geometry));
  const g = geometry;
  const y = out ?? new Float64Array(conv2dOutputSize(g));
  assertLength('out', y, conv2dOutputSize(g));
  y.fill(0);
  if (isStrideOne(g)) {
    forwardStrideOne(kernel, x, g, y);
    return y;
  }
  accumulateStrided(kernel, g, x, y, 'forward');
  return y;
}

/**
 * The exact adjoint `x = Aᵀ y` of {@link conv2dForward} (the transposed convolution, with the same index map:
 * every product `K[o,c,a,b]·x[c,r,s]` of the forward pass becomes `x[c,r,s] += K[o,c,a,b]·y[o,i,j]`). Unlike the
 * flipped-kernel "transpose" of the original excess-capacity code (spec §2.3), this is the true adjoint for every
 * stride, padding and even or odd kernel: ⟨A x, y⟩ = ⟨x, Aᵀ y⟩.
 *
 * @param y (Cout, Hout, Wout) row-major.
 * @param out optional buffer of length Cin·H·W (overwritten).
 * @returns x, (Cin, H, W) row-major.
 */
export function conv2dAdjoint(
  kernel: ConvKernel,
  y: Float64Array,
  geometry: Conv2dGeometry,
  out?: Float64Array,
): Float64Array {
  checkKernel(kernel, geometry);
  assertLength('y', y, conv2dOutputSize(geometry));
  const g = geometry;
  const x = out ?? new Float64Array(conv2dInputSize(g));
  assertLength('out', x, conv2dInputSize(g));
  x.fill(0);
  if (isStrideOne(g)) {
    adjointStrideOne(kernel, y, g, x);
    return x;
  }
  accumulateStrided(kernel, g, x, y, 'adjoint');
  return x;
}

/**
 * The strided (stride ≠ 1) pass shared by {@link conv2dForward} and {@link conv2dAdjoint}: both visit the same
 * index pairs (x[c, r, s], y[o, i, j]) with weight K[o, c, a, b]; `'forward'` accumulates into y, `'adjoint'` into
 * x, which is what makes the adjoint exact. The direction is chosen outside the innermost loop.
 */
function accumulateStrided(
  kernel: ConvKernel,
  g: Conv2dGeometry,
  x: Float64Array,
  y: Float64Array,
  direction: 'forward' | 'adjoint',
): void {
  const { rows, runs } = tablesOf(g);
  const sw = g.strideWidth;
  const { outChannels, inChannels, kernelHeight: kh, kernelWidth: kw, inputHeight: h, inputWidth: w } = g;
  const ho = g.outputHeight;
  const wo = g.outputWidth;
  const k = kernel.data;
  const forward = direction === 'forward';
  for (let o = 0; o < outChannels; o++) {
    const yBase = o * ho * wo;
    for (let c = 0; c < inChannels; c++) {
      const xBase = c * h * w;
      for (let a = 0; a < kh; a++) {
        for (let b = 0; b < kw; b++) {
          const weight = k[((o * inChannels + c) * kh + a) * kw + b]!;
          if (weight === 0) continue;
          const run = runs[b]!;
          for (let i = 0; i < ho; i++) {
            const r = rows[a * ho + i]!;
            if (r < 0) continue;
            const xRow = xBase + r * w;
            const yRow = yBase + i * wo;
            for (let q = 0; q < run.length; q += 3) {
              const jEnd = yRow + run[q + 1]!;
              let t = xRow + run[q + 2]!;
              if (forward) {
                for (let j = yRow + run[q]!; j < jEnd; j++, t += sw) y[j]! += weight * x[t]!;
              } else {
                for (let j = yRow + run[q]!; j < jEnd; j++, t += sw) x[t]! += weight * y[j]!;
              }
            }
          }
        }
      }
    }
  }
}

/** A matrix-free real linear map R^inputSize → R^outputSize with its exact adjoint. */
export interface LinearOperator {
  readonly inputSize: number;
  readonly outputSize: number;
  /** y = A x (returns a new array). */
  apply(x: Float64Array): Float64Array;
  /** x = Aᵀ y (returns a new array). */
  applyAdjoint(y: Float64Array): Float64Array;
}

/** The convolution as a {@link LinearOperator} (forward {@link conv2dForward}, adjoint {@link conv2dAdjoint}). */
export function conv2dLinearOperator(kernel: ConvKernel, geometry: Conv2dGeometry): LinearOperator {
  checkKernel(kernel, geometry);
  return {
    inputSize: conv2dInputSize(geometry),
    outputSize: conv2dOutputSize(geometry),
    apply: (x) => conv2dForward(kernel, x, geometry),
    applyAdjoint: (y) => conv2dAdjoint(kernel, y, geometry),
  };
}

/**
 * Wraps PyTorch-layout kernel values as a {@link ConvKernel} (copied to float64).
 * @throws NumericCoreError when the shape is not 4 positive integers or the length does not match.
 */
export function convKernel(shape: readonly number[], values: ArrayLike<number>): ConvKernel {
  if (shape.length !== 4)
    throw new NumericCoreError('kernel.shape', `has ${shape.length} dimensions`, '[Cout, Cin, kh, kw]');
  shape.forEach((d, i) => {
    assertPositiveInteger(`kernel.shape[${i}]`, d);
  });
  assertLength('kernel.data', values, shape[0]! * shape[1]! * shape[2]! * shape[3]!);
  return { shape: [shape[0]!, shape[1]!, shape[2]!, shape[3]!], data: Float64Array.from(values) };
}
