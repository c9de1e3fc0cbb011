import { ConstrainedLayersError } from './constrainedLayersError.js';

/** Inputs of {@link generalizationBound}. */
export interface GeneralizationBoundInput {
  /** Spectral complexity (`model.spectralComplexity()` or the constraint-based value). */
  spectralComplexity: number;
  /** b: Frobenius norm of the whole training set ‖X‖_F. */
  dataNorm: number;
  /** w: the largest number of weights of any one layer. */
  maxLayerParams: number;
  /** n: number of training samples. */
  n: number;
  /** γ: margin, > 0. */
  margin: number;
}

/**
 * The generalisation bound the original logs during ResNet training (spec §7.2, "Bartlett et al. 2017,
 * Lemma A.8"): `√R(γ) = SC·2·b·√(ln(2w²))/γ`, bound `2·(4/n^{3/2} + 18·ln(n)/n·√R(γ))`. An upper bound on the
 * generalisation gap of the γ-ramp loss when SC is an upper bound of the spectral complexity.
 * **Differs from the original** in what is passed: the original feeds raw 0–255 pixels into b; pass the norm of
 * the data the network actually sees (normalised), as `measureCapacityQuantities` measures it.
 */
export function generalizationBound(input: GeneralizationBoundInput): number {
  const { spectralComplexity, dataNorm, maxLayerParams, n, margin } = input;
  for (const [name, v] of Object.entries(input)) {
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0) {
      throw new ConstrainedLayersError(name, `got ${String(v)}`, 'a number >= 0');
    }
  }
  if (!(n >= 1)) throw new ConstrainedLayersError('n', `got ${n}`, 'an integer >= 1');
  if (!(margin > 0)) throw new ConstrainedLayersError('margin', `got ${margin}`, 'a number > 0');
  if (!(maxLayerParams >= 1))
    throw new ConstrainedLayersError('maxLayerParams', `got ${maxLayerParams}`, 'an integer >= 1');
  const sqrtR = (spectralComplexity * 2 * dataNorm * Math.sqrt(Math.log(2 * maxLayerParams ** 2))) / margin;
  return 2 * (4 / n ** 1.5 + ((18 * Math.log(n)) / n) * sqrtR);
}
