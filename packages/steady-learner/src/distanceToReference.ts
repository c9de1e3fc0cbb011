import { SteadyLearnerError } from './steadyLearnerError.js';
import type { TrajectoryFormulas } from './trajectoryFormulas.js';

/**
 * Distance of the bias to its initialisation per step, `D_k = ‖B_k − ref‖₂` (spec §4.5, paper Corollary 2).
 * `'faithful'`: ref = the bias after the first step (so D_0 = 0), as the original; `'theory'`: ref = the true
 * initial bias `initialBias`.
 * @returns K values
 */
export function distanceToReference(
  biases: ArrayLike<number>,
  dim: number,
  formulas: TrajectoryFormulas = 'faithful',
  initialBias?: ArrayLike<number>,
): Float64Array {
  const K = biases.length / dim;
  if (!Number.isInteger(K) || K < 1)
    throw new SteadyLearnerError('biases', `length must be a positive multiple of ${dim}`);
  if (formulas === 'theory' && initialBias?.length !== dim) {
    throw new SteadyLearnerError('initialBias', `'theory' formulas need the initial bias (length ${dim})`);
  }
  const ref =
    formulas === 'theory'
      ? (initialBias as ArrayLike<number>)
      : Array.from({ length: dim }, (_, i) => biases[i] as number);
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let i = 0; i < dim; i++) {
      const t = (biases[k * dim + i] as number) - (ref[i] as number);
      s += t * t;
    }
    out[k] = Math.sqrt(s);
  }
  return out;
}

/** The last `epochs·stepsPerEpoch` entries of a per-step series (the "last 10 epochs" violins of spec §4.5). */
export function lastEpochs(series: Float64Array, stepsPerEpoch: number, epochs: number): Float64Array {
  const n = Math.min(series.length, stepsPerEpoch * epochs);
  return series.slice(series.length - n);
}
