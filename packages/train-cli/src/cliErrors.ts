/**
 * Errors the CLI reports as a one-line message and a non-zero exit code (2 for usage errors, 1 otherwise).
 * Library errors that carry an `argument` field are reported the same way.
 */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
  /** Exit code the CLI returns for this error. */
  readonly exitCode = 2;
  /**
   * @param argument the flag or argument at fault (e.g. `--backend`)
   * @param message what is wrong and what is allowed
   */
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}
