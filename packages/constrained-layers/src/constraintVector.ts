import { ConstrainedLayersError, checkConstraint } from './constrainedLayersError.js';

/**
 * Per-slot constraints of the models (spec §7, the `--lip` / `--dist` vectors): `[stem, block, shortcut,
 * classifier]`. `Infinity` = none. In `distCond`, 0 is allowed only in the classifier slot, where it selects the
 * frozen {@link SimplexClassifier} (and `lipCond[3]` is then its K). The shortcut slot is accepted but has no
 * effect: the pooling shortcut has no parameters (as in the original).
 */
export type ConstraintVector = readonly [stem: number, block: number, shortcut: number, classifier: number];

const UNCONSTRAINED: ConstraintVector = [
  Number.POSITIVE_INFINITY,
  Number.POSITIVE_INFINITY,
  Number.POSITIVE_INFINITY,
  Number.POSITIVE_INFINITY,
];

/** Validates a constraint vector (default: all `Infinity`); throws naming e.g. `distCond[1]`. */
export function checkConstraintVector(
  name: 'lipCond' | 'distCond',
  value: readonly number[] | undefined,
): ConstraintVector {
  if (value === undefined) return UNCONSTRAINED;
  if (!Array.isArray(value) || value.length !== 4) {
    throw new ConstrainedLayersError(
      name,
      `has ${Array.isArray(value) ? value.length : 'no'} entries`,
      '[stem, block, shortcut, classifier]',
    );
  }
  value.forEach((v, i) => {
    checkConstraint(`${name}[${i}]`, v, name === 'distCond' && i === 3);
  });
  return [value[0], value[1], value[2], value[3]] as ConstraintVector;
}
