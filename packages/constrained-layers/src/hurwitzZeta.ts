import { ConstrainedLayersError } from './constrainedLayersError.js';

// Bernoulli numbers B_2, B_4, …, B_14 for the Euler–Maclaurin tail.
const BERNOULLI_EVEN = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6];
const DIRECT_TERMS = 16;

/**
 * Hurwitz zeta function ζ(s, a) = Σ_{k≥0} (k + a)^(−s) for s > 1, a > 0, in float64 (relative error ≲ 1e-14);
 * ζ(s, ∞) = 0 (the limit, reached by ψ(0) when a layer has not moved from its init).
 * Sums the first 16 terms directly and the tail by Euler–Maclaurin with 7 Bernoulli corrections
 * (as scipy's `zeta(s, a)`, which the original bounds use).
 */
export function hurwitzZeta(s: number, a: number): number {
  if (!(s > 1) || !Number.isFinite(s)) throw new ConstrainedLayersError('s', `got ${s}`, 'a finite number > 1');
  if (!(a > 0)) throw new ConstrainedLayersError('a', `got ${a}`, 'a number > 0 (Infinity gives the limit 0)');
  if (a === Number.POSITIVE_INFINITY) return 0;
  let sum = 0;
  for (let k = 0; k < DIRECT_TERMS; k++) sum += (k + a) ** -s;
  const x = DIRECT_TERMS + a;
  sum += x ** (1 - s) / (s - 1) + x ** -s / 2;
  // term_j = B_2j / (2j)! · s(s+1)…(s+2j−2) · x^(−s−2j+1)
  let rising = s; // s(s+1)…(s+2j−2) for j = 1
  let factorial = 2; // (2j)!
  let power = x ** (-s - 1);
  for (let j = 1; j <= BERNOULLI_EVEN.length; j++) {
    sum += ((BERNOULLI_EVEN[j - 1] as number) / factorial) * rising * power;
    rising *= (s + 2 * j - 1) * (s + 2 * j);
    factorial *= (2 * j + 1) * (2 * j + 2);
    power /= x * x;
  }
  return sum;
}
