/**
 * The error every `@lipkit/steady-learner` function throws for bad input. The CLI maps it (via its string
 * `argument` field) to exit code 2.
 */
export class SteadyLearnerError extends Error {
  override name = 'SteadyLearnerError';
  /**
   * @param argument the argument or option at fault (e.g. `frequencies`, `batchSize`)
   * @param message what is wrong and what is allowed
   */
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** Throws unless `value` is an integer ≥ `min`. */
export function requireInteger(argument: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new SteadyLearnerError(argument, `got ${value}; allowed: an integer >= ${min}`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function requirePositive(argument: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new SteadyLearnerError(argument, `got ${value}; allowed: a finite number > 0`);
  }
}
