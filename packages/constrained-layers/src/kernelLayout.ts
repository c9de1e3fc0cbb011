import { type ConvKernel, convKernel } from '@lipkit/lipschitz-bounds';

/**
 * TF.js conv filter `[kh, kw, Cin, Cout]` → PyTorch layout `[Cout, Cin, kh, kw]` (`K_torch[o,c,a,b] = K_tf[a,b,c,o]`,
 * spec §13), float64.
 */
export function torchConvKernelOf(
  values: ArrayLike<number>,
  shape: readonly [number, number, number, number],
): ConvKernel {
  const [kh, kw, cin, cout] = shape;
  const out = new Float64Array(values.length);
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      for (let c = 0; c < cin; c++) {
        for (let o = 0; o < cout; o++) {
          out[((o * cin + c) * kh + a) * kw + b] = values[((a * kw + b) * cin + c) * cout + o] as number;
        }
      }
    }
  }
  return convKernel([cout, cin, kh, kw], out);
}

/** TF.js dense kernel `[in, out]` → PyTorch weight `[out, in]` (its transpose), float64, row-major. */
export function torchDenseWeightOf(values: ArrayLike<number>, inFeatures: number, units: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < inFeatures; i++)
    for (let o = 0; o < units; o++) out[o * inFeatures + i] = values[i * units + o] as number;
  return out;
}

/** Inverse of {@link torchConvKernelOf}: PyTorch `[Cout, Cin, kh, kw]` → TF.js `[kh, kw, Cin, Cout]` (float32). */
export function tfConvKernelOf(kernel: ConvKernel): Float32Array {
  const [cout, cin, kh, kw] = kernel.shape;
  const out = new Float32Array(kernel.data.length);
  for (let o = 0; o < cout; o++) {
    for (let c = 0; c < cin; c++) {
      for (let a = 0; a < kh; a++) {
        for (let b = 0; b < kw; b++)
          out[((a * kw + b) * cin + c) * cout + o] = kernel.data[((o * cin + c) * kh + a) * kw + b] as number;
      }
    }
  }
  return out;
}

/** Inverse of {@link torchDenseWeightOf}: PyTorch `[out, in]` → TF.js `[in, out]` (float32). */
export function tfDenseKernelOf(weight: ArrayLike<number>, inFeatures: number, units: number): Float32Array {
  const out = new Float32Array(weight.length);
  for (let o = 0; o < units; o++)
    for (let i = 0; i < inFeatures; i++) out[i * units + o] = weight[o * inFeatures + i] as number;
  return out;
}
