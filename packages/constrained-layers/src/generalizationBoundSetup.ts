import { ConstrainedLayersError } from './constrainedLayersError.js';
import type { ConstrainedNetwork } from './constrainedNetwork.js';
import { generalizationBound } from './generalizationBound.js';
import type { TrainingData } from './trainableNetwork.js';
import type { RunSetup } from './trainingLog.js';

/** Tag of the generalisation-bound curve, as the original's TensorBoard scalar. */
export const GENERALIZATION_BOUND_TAG = 'Generalization Bound';

/**
 * The generalisation-bound setup the original `train.py` logs at the start of a run (spec §9.2 step 8, §7.2): the
 * quantities of {@link generalizationBound} — `spectral_complexity_bound` (from the layers' limits,
 * {@link ConstrainedNetwork.spectralComplexityBound}), `data_norm` (b = ‖X‖_F of the training set, float64),
 * `n_train` (n) and `max_layer_params` (w) — and the curve `Generalization Bound` at steps γ = each of `margins`
 * (default 1..100, as the original). Each curve value is an **upper bound** on the γ-ramp-loss generalisation gap,
 * valid while the constraints hold; without finite limits the spectral complexity bound is ∞ and the curve is empty.
 *
 * **Differs from the original**, which logs it for the ResNet on CIFAR only and computes b from the raw 0–255
 * pixels of the whole dataset: we log it for every constrained network, with b from the normalised training
 * inputs the network actually sees (after `--limit-to`), read once from `data.trainBatches(0)`.
 */
export async function measureGeneralizationBoundSetup(
  network: ConstrainedNetwork,
  data: TrainingData,
  margins: readonly number[] = Array.from({ length: 100 }, (_, i) => i + 1),
): Promise<RunSetup> {
  if (margins.some((m) => !Number.isSafeInteger(m) || m < 1)) {
    // they are TensorBoard steps, hence integers (the original's γ = 1..100)
    throw new ConstrainedLayersError('margins', `got [${margins.join(', ')}]`, 'integers >= 1');
  }
  let sumSquares = 0;
  let n = 0;
  for await (const batch of data.trainBatches(0)) {
    for (const v of batch.images) sumSquares += v * v;
    n += batch.labels.length;
  }
  const quantities = {
    spectral_complexity_bound: network.spectralComplexityBound(),
    data_norm: Math.sqrt(sumSquares),
    n_train: n,
    max_layer_params: network.maxLayerParameterCount(),
  };
  const scalars: RunSetup['scalars'] = {};
  if (Number.isFinite(quantities.spectral_complexity_bound) && n > 0) {
    const bound = (margin: number) =>
      generalizationBound({
        spectralComplexity: quantities.spectral_complexity_bound,
        dataNorm: quantities.data_norm,
        maxLayerParams: quantities.max_layer_params,
        n,
        margin,
      });
    scalars[GENERALIZATION_BOUND_TAG] = { steps: [...margins], values: margins.map(bound) };
  }
  return { quantities, scalars };
}
