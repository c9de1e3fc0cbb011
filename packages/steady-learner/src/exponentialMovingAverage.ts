/**
 * EMA smoothing as the original's `smooth` (spec §4.7): `s_0 = x_0`, `s_t = w·s_{t−1} + (1 − w)·x_t`, default
 * weight 0.95 (TensorBoard-style, without its debiasing).
 */
export function exponentialMovingAverage(values: ArrayLike<number>, weight = 0.95): Float64Array {
  const out = new Float64Array(values.length);
  let s = values[0] ?? 0;
  for (let i = 0; i < values.length; i++) {
    s = i === 0 ? (values[0] as number) : weight * s + (1 - weight) * (values[i] as number);
    out[i] = s;
  }
  return out;
}
