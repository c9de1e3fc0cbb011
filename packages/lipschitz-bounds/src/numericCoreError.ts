/**
 * Typed error for bad input to the float64 numeric core (shapes, limits, sizes).
 *
 * `argument` names the offending argument so that callers (the CLI maps any error with a string `argument` to exit
 * code 2) can report it; the message reads `<argument>: what is wrong; allowed: ...`.
 */
export class NumericCoreError extends Error {
  /** The name of the argument that was rejected, e.g. `kernel.shape` or `limit`. */
  readonly argument: string;

  constructor(argument: string, problem: string, allowed: string) {
    super(`${argument}: ${problem}; allowed: ${allowed}`);
    this.name = 'NumericCoreError';
    this.argument = argument;
  }
}

/** Throws a {@link NumericCoreError} unless `value` is a positive integer. */
export function assertPositiveInteger(argument: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new NumericCoreError(argument, `got ${value}`, 'a positive integer');
  }
}

/** Throws a {@link NumericCoreError} unless `data.length === expected`. */
export function assertLength(argument: string, data: ArrayLike<number>, expected: number): void {
  if (data.length !== expected) {
    throw new NumericCoreError(
      argument,
      `has ${data.length} values, expected ${expected}`,
      'a length matching the shape',
    );
  }
}
