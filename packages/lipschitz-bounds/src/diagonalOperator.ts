/** A diagonal linear map x ↦ s ⊙ x (eval-mode batch normalisation) as a {@link LayerOperator}. */
import type { LayerOperator } from './layerOperator.js';

/** Wraps the diagonal `s` (one entry per element). ‖diag(s)‖₂ = max |s_i|, exactly. */
export function createDiagonalOperator(diagonal: Float64Array): LayerOperator {
  const n = diagonal.length;
  const mul = (x: Float64Array) => {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = (diagonal[i] as number) * (x[i] as number);
    return y;
  };
  return {
    inputSize: n,
    outputSize: n,
    apply: mul,
    applyAdjoint: mul,
    rowNormsSquared(mask) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = mask && mask[i] === 0 ? 0 : (diagonal[i] as number) ** 2;
      return out;
    },
    row(j) {
      return { columns: Int32Array.of(j), values: Float64Array.of(diagonal[j] as number) };
    },
    normUpperBound() {
      let m = 0;
      for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(diagonal[i] as number));
      return { value: m, method: 'exact-diagonal' };
    },
  };
}
