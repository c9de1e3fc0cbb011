/**
 * Error thrown for invalid arguments anywhere in `@lipkit/constrained-layers` (bad constraints, shapes, class counts).
 * `argument` names the offending argument (e.g. `lipCond`, `distCond[1]`, `inputShape`), so a CLI can map it to
 * exit code 2. The message reads "<argument>: what is wrong; allowed: ...".
 */
export class ConstrainedLayersError extends Error {
  /** Name of the argument that is wrong. */
  readonly argument: string;

  constructor(argument: string, problem: string, allowed: string) {
    super(`${argument}: ${problem}; allowed: ${allowed}`);
    this.name = 'ConstrainedLayersError';
    this.argument = argument;
  }
}

/**
 * Checks a constraint value: finite and > 0, or `Infinity` (= no constraint). `allowZero` admits 0 (only the
 * `distCond` of the classifier slot, where 0 selects the simplex classifier).
 */
export function checkConstraint(argument: string, value: number, allowZero = false): void {
  const ok = typeof value === 'number' && !Number.isNaN(value) && (value > 0 || (allowZero && value === 0));
  if (!ok) {
    throw new ConstrainedLayersError(
      argument,
      `got ${String(value)}`,
      allowZero ? 'a number >= 0 or Infinity (0 selects the simplex classifier)' : 'a number > 0 or Infinity (= none)',
    );
  }
}

/** Checks that `value` is an integer >= `min`. */
export function checkInteger(argument: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ConstrainedLayersError(argument, `got ${String(value)}`, `an integer >= ${min}`);
  }
}

/** A constraint as stored in a layer config: JSON has no `Infinity`, so ∞ is stored as `null`. */
export function encodeConstraint(value: number): number | null {
  return value === Number.POSITIVE_INFINITY ? null : value;
}

/** Inverse of {@link encodeConstraint}; `undefined` (option absent) also means ∞. */
export function decodeConstraint(value: number | null | undefined): number {
  return value == null ? Number.POSITIVE_INFINITY : value;
}
