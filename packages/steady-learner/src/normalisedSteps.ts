import { requireInteger, SteadyLearnerError } from './steadyLearnerError.js';
import { DEGENERATE_NORMALISER, type TrajectoryFormulas } from './trajectoryFormulas.js';

/** Per-step recorded series of one run (or the repeat-average of several), flattened over epochs. */
export interface RecordedSteps {
  /** Bias after each step, K·d values (step-major). */
  biases: ArrayLike<number>;
  /** Bias dimension d. */
  dim: number;
  /** Learning rate η_k used by step k (K values). */
  learningRates: ArrayLike<number>;
  /** |∂ℓ/∂output| (MLP: |ŷ − y|) or the CNN's ε of step k (K values). */
  normalisers: ArrayLike<number>;
  /** The bias before the first step (needed by `'theory'`). */
  initialBias?: ArrayLike<number>;
}

/** Normalised steps τ_k (not divided by N) and which steps were degenerate. */
export interface NormalisedSteps {
  /** τ_k, K values. */
  steps: Float64Array;
  /** 1 where the normaliser was < 1e−12. */
  degenerate: Uint8Array;
  /** Number of degenerate steps (spec §4.1 item 5 asks to report it). */
  degenerateCount: number;
}

/**
 * Normalised bias steps ‖Δb1‖/(η·ε) (spec §4.1 steps 2–3, paper Theorem 1).
 *
 * - `'faithful'`: `τ_k = ‖B_{k+1} − B_k‖ / (η_k e_k)` for k < K−1 (the off-by-one pairing of the original, across
 *   epoch boundaries) and `τ_{K−1} = τ_{K−2}`. A zero normaliser gives `Infinity` (`0` if the bias did not move),
 *   as the formula says; the count is reported.
 * - `'theory'`: `τ_k = ‖B_k − B_{k−1}‖ / (η_k e_k)` with `B_{−1}` = the initial bias; degenerate steps get τ = 0 and
 *   are flagged so that means skip them.
 *
 * The original divides by N here; we do not (the epoch mean in {@link epochTrajectory} does it).
 */
export function normalisedSteps(rec: RecordedSteps, formulas: TrajectoryFormulas = 'faithful'): NormalisedSteps {
  const K = rec.learningRates.length;
  const d = rec.dim;
  requireInteger('dim', d, 1);
  if (rec.biases.length !== K * d || rec.normalisers.length !== K) {
    throw new SteadyLearnerError('steps', `biases must have K·d = ${K * d} values and normalisers K = ${K}`);
  }
  const steps = new Float64Array(K);
  const degenerate = new Uint8Array(K);
  let degenerateCount = 0;
  const dist = (k1: number, k0: number | 'init') => {
    let s = 0;
    for (let i = 0; i < d; i++) {
      const prev = k0 === 'init' ? (rec.initialBias?.[i] as number) : (rec.biases[k0 * d + i] as number);
      const v = (rec.biases[k1 * d + i] as number) - prev;
      s += v * v;
    }
    return Math.sqrt(s);
  };
  if (formulas === 'faithful') {
    if (K < 2) throw new SteadyLearnerError('steps', 'faithful formulas need at least 2 steps');
    for (let k = 0; k < K - 1; k++) {
      const norm = (rec.learningRates[k] as number) * (rec.normalisers[k] as number);
      const delta = dist(k + 1, k);
      if (Math.abs(rec.normalisers[k] as number) < DEGENERATE_NORMALISER) {
        degenerate[k] = 1;
        degenerateCount++;
      }
      steps[k] = delta === 0 ? 0 : delta / norm;
    }
    steps[K - 1] = steps[K - 2] as number;
  } else {
    if (rec.initialBias?.length !== d) {
      throw new SteadyLearnerError('initialBias', `'theory' formulas need the initial bias (length ${d})`);
    }
    for (let k = 0; k < K; k++) {
      const e = rec.normalisers[k] as number;
      if (Math.abs(e) < DEGENERATE_NORMALISER) {
        degenerate[k] = 1;
        degenerateCount++;
        continue;
      }
      steps[k] = dist(k, k === 0 ? 'init' : k - 1) / ((rec.learningRates[k] as number) * e);
    }
  }
  return { steps, degenerate, degenerateCount };
}
