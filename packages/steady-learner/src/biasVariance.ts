import { requireInteger, SteadyLearnerError } from './steadyLearnerError.js';

/**
 * Within-epoch variance of the bias normalised by η² (spec §4.3, paper Corollary 1), exactly from stored biases
 * (two passes in float64): `V_e = (1/S) Σ_s ‖B_{e,s} − m_e‖² / η_{e,s}²`, `m_e` = the epoch-mean bias.
 * @param biases K·d values, step-major
 * @param learningRates K values
 * @returns E values
 */
export function biasVariancePerEpoch(
  biases: ArrayLike<number>,
  dim: number,
  learningRates: ArrayLike<number>,
  stepsPerEpoch: number,
): Float64Array {
  requireInteger('stepsPerEpoch', stepsPerEpoch, 1);
  const K = learningRates.length;
  if (biases.length !== K * dim || K % stepsPerEpoch !== 0) {
    throw new SteadyLearnerError('biases', `need K·d values with K a multiple of ${stepsPerEpoch}`);
  }
  const S = stepsPerEpoch;
  const E = K / S;
  const out = new Float64Array(E);
  const mean = new Float64Array(dim);
  for (let e = 0; e < E; e++) {
    mean.fill(0);
    for (let s = 0; s < S; s++)
      for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) + (biases[(e * S + s) * dim + i] as number);
    for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) / S;
    let v = 0;
    for (let s = 0; s < S; s++) {
      let q = 0;
      for (let i = 0; i < dim; i++) {
        const t = (biases[(e * S + s) * dim + i] as number) - (mean[i] as number);
        q += t * t;
      }
      const eta = learningRates[e * S + s] as number;
      v += q / (eta * eta);
    }
    out[e] = v / S;
  }
  return out;
}
