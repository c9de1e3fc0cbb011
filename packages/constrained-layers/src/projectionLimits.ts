import { NumericCoreError } from '@lipkit/lipschitz-bounds';

/** How a projection moves a point that violates its constraint (excess-capacity spec §4.1–4.2). */
export type ProjectionMode = 'orthogonal' | 'radial';

/**
 * Checks a projection radius/limit: a number ≥ 0 or `Infinity` (no constraint).
 * @throws NumericCoreError naming `argument` for NaN, negative or non-numbers.
 */
export function assertProjectionLimit(argument: string, value: number): void {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new NumericCoreError(argument, `got ${String(value)}`, 'a number ≥ 0 or Infinity (no constraint)');
  }
}

/** @throws NumericCoreError unless mode is 'orthogonal' or 'radial'. */
export function assertProjectionMode(mode: string): asserts mode is ProjectionMode {
  if (mode !== 'orthogonal' && mode !== 'radial') {
    throw new NumericCoreError('mode', `got ${String(mode)}`, "'orthogonal' or 'radial'");
  }
}
