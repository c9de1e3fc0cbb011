import type * as tfl from '@tensorflow/tfjs-layers';
import { ConstrainedDense } from './constrainedDense.js';
import { CLASSIFIER_NAME } from './constrainedNetwork.js';
import type { ConstraintVector } from './constraintVector.js';
import type { ProjectionMode } from './projectionLimits.js';
import { SimplexClassifier } from './simplexClassifier.js';

/**
 * The models' dense classifier on flattened features (spec §6.3 selection rule): `distCond[3] = 0` selects the
 * frozen {@link SimplexClassifier} with K = `lipCond[3]` (clipped to √(C/(C−1))); anything else a
 * {@link ConstrainedDense} without bias under `lipCond[3]` / `distCond[3]`, projected in `projMode` (default
 * orthogonal).
 */
export function denseClassifier(
  features: tfl.SymbolicTensor,
  numClasses: number,
  lipCond: ConstraintVector,
  distCond: ConstraintVector,
  seed: number | undefined,
  projMode?: ProjectionMode,
): { output: tfl.SymbolicTensor; layer: SimplexClassifier | ConstrainedDense } {
  const layer =
    distCond[3] === 0
      ? new SimplexClassifier({ name: CLASSIFIER_NAME, units: numClasses, lipCond: lipCond[3] })
      : new ConstrainedDense({
          name: CLASSIFIER_NAME,
          units: numClasses,
          useBias: false,
          lipCond: lipCond[3],
          distCond: distCond[3],
          ...(projMode === undefined ? {} : { projMode }),
          ...(seed === undefined ? {} : { seed }),
        });
  return { output: layer.apply(features) as tfl.SymbolicTensor, layer };
}
