/** Independent float64 test oracles (no lipkit code). */

/** σ_max of a rows×cols row-major matrix by 2000 power-iteration steps on AᵀA. */
export function sigmaMaxByPowerIteration(a: ArrayLike<number>, rows: number, cols: number): number {
  let v = Array.from({ length: cols }, (_, i) => 1 + 0.1 * Math.sin(i));
  let sigma = 0;
  for (let it = 0; it < 2000; it++) {
    const u = Array.from({ length: rows }, (_, r) => v.reduce((s, vc, c) => s + (a[r * cols + c] as number) * vc, 0));
    const w = Array.from({ length: cols }, (_, c) => u.reduce((s, ur, r) => s + (a[r * cols + c] as number) * ur, 0));
    const norm = Math.hypot(...w);
    sigma = Math.sqrt(norm / Math.hypot(...v));
    v = w.map((x) => x / norm);
  }
  return sigma;
}

/** Explicit matrix (rows = outputs, cols = inputs) of a linear map given by `apply` on basis vectors. */
export function matrixOf(apply: (x: Float64Array) => ArrayLike<number>, inputs: number, outputs: number): Float64Array {
  const m = new Float64Array(outputs * inputs);
  for (let c = 0; c < inputs; c++) {
    const e = new Float64Array(inputs);
    e[c] = 1;
    const y = apply(e);
    for (let r = 0; r < outputs; r++) m[r * inputs + c] = y[r] as number;
  }
  return m;
}
