/** Independent float64 test oracles (no lipkit code). */

/** σ_max of a rows×cols row-major matrix by power iteration on AᵀA (until the estimate changes < 1e-12 relative, ≤ 5000 steps). */
export function sigmaMaxByPowerIteration(a: ArrayLike<number>, rows: number, cols: number): number {
  let v = new Float64Array(cols).map((_, i) => 1 + 0.1 * Math.sin(i));
  const u = new Float64Array(rows);
  let sigma = 0;
  for (let it = 0; it < 5000; it++) {
    u.fill(0);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += (a[r * cols + c] as number) * (v[c] as number);
      u[r] = s;
    }
    const w = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      const ur = u[r] as number;
      for (let c = 0; c < cols; c++) w[c] = (w[c] as number) + (a[r * cols + c] as number) * ur;
    }
    const norm = Math.hypot(...w);
    const next = Math.sqrt(norm / Math.hypot(...v));
    v = w.map((x) => x / norm);
    if (Math.abs(next - sigma) < 1e-12 * next) return next;
    sigma = next;
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
