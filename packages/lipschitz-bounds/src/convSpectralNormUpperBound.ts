/** A rigorous upper bound on the spectral norm of a conv2d operator (zero or circular padding, any stride). */
import type { Conv2dGeometry, ConvKernel } from './conv2dOperator.js';
import type { NormBound } from './layerOperator.js';

/**
 * ‖A‖₂ ≤ √(‖A‖₁·‖A‖∞) with ‖A‖∞ ≤ max_o Σ_{c,a,b} |K| and ‖A‖₁ ≤ max_c Σ_{o,a,b} |K| (each tap of a kernel reads a
 * given input at most once per output channel when the kernel fits the input).
 */
export function convSpectralNormUpperBound(kernel: ConvKernel, g: Conv2dGeometry): NormBound {
  const [co, ci, kh, kw] = kernel.shape;
  const rowSums = new Float64Array(co);
  const colSums = new Float64Array(ci);
  for (let o = 0; o < co; o++) {
    for (let c = 0; c < ci; c++) {
      let s = 0;
      for (let t = 0; t < kh * kw; t++) s += Math.abs(kernel.data[(o * ci + c) * kh * kw + t] as number);
      rowSums[o] = (rowSums[o] as number) + s;
      colSums[c] = (colSums[c] as number) + s;
    }
  }
  void g;
  return { value: Math.sqrt(Math.max(...rowSums) * Math.max(...colSums)), method: 'norm-product' };
}
