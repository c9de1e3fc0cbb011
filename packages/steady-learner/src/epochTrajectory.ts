import type { NormalisedSteps } from './normalisedSteps.js';
import { requireInteger, SteadyLearnerError } from './steadyLearnerError.js';

/** Per-epoch bias trajectory length and its integral. */
export interface EpochTrajectory {
  /** T_e: mean normalised step of epoch e (E values). */
  perEpoch: Float64Array;
  /** I_e = Σ_{e' < e} T_{e'} (E values, I_0 = 0): the total trajectory up to the start of epoch e (spec §4.2). */
  integral: Float64Array;
}

/**
 * Per-epoch trajectory length `T_e = (1/S) Σ_s τ_{e·S+s}` and its integral (spec §4.1 item 4, §4.2). For batch size
 * 1 (S = N) this is the original's `Σ τ/N`; with larger batches we divide by the S steps rather than by N.
 * Degenerate steps (see {@link normalisedSteps}) flagged in `'theory'` mode are left out of the mean.
 */
export function epochTrajectory(tau: NormalisedSteps, stepsPerEpoch: number, skipDegenerate = false): EpochTrajectory {
  requireInteger('stepsPerEpoch', stepsPerEpoch, 1);
  const K = tau.steps.length;
  if (K % stepsPerEpoch !== 0) {
    throw new SteadyLearnerError('stepsPerEpoch', `${K} steps are not a whole number of epochs of ${stepsPerEpoch}`);
  }
  const E = K / stepsPerEpoch;
  const perEpoch = new Float64Array(E);
  const integral = new Float64Array(E);
  let running = 0;
  for (let e = 0; e < E; e++) {
    let s = 0;
    let n = 0;
    for (let j = e * stepsPerEpoch; j < (e + 1) * stepsPerEpoch; j++) {
      if (skipDegenerate && tau.degenerate[j]) continue;
      s += tau.steps[j] as number;
      n++;
    }
    perEpoch[e] = skipDegenerate ? (n > 0 ? s / n : 0) : s / stepsPerEpoch;
    integral[e] = running;
    running += perEpoch[e] as number;
  }
  return { perEpoch, integral };
}
