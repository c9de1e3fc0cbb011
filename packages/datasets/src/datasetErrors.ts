/** Typed errors of `@lipkit/datasets`: every failure names what is at fault and what to do about it. */

/**
 * A bad argument: unknown dataset name, seed that is not an integer, rate outside [0, 1], unusable data directory…
 * The message reads `<argument>: what is wrong; allowed: …`. The CLI maps it to exit code 2.
 */
export class DatasetError extends Error {
  override name = 'DatasetError';
  /**
   * @param argument the option or argument at fault (e.g. `seed`, `dataDir`, `name`)
   * @param problem what is wrong and what is allowed
   */
  constructor(
    readonly argument: string,
    problem: string,
  ) {
    super(`${argument}: ${problem}`);
  }
}

/**
 * A file on disk (downloaded archive, cached file, embedded subset) is truncated, corrupt or not in the expected
 * format. `path` names the file and the message says what to do (usually: delete it and fetch again).
 */
export class CorruptFileError extends Error {
  override name = 'CorruptFileError';
  /**
   * @param path the offending file
   * @param problem what is wrong with it
   * @param remedy what the user should do
   */
  constructor(
    readonly path: string,
    problem: string,
    remedy: string,
  ) {
    super(`${path}: ${problem}. ${remedy}`);
  }
}

/** A download failed after all retries and mirrors (network error, HTTP error, size or checksum mismatch). */
export class DownloadError extends Error {
  override name = 'DownloadError';
  /**
   * @param url the last URL tried
   * @param path the destination file
   * @param problem what went wrong (also the `problem` field)
   */
  constructor(
    readonly url: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`downloading ${url} to ${path}: ${problem}`);
  }
}

/** Throws a {@link DatasetError} unless `value` is a safe integer; returns it. */
export function requireInteger(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new DatasetError(argument, `${String(value)} is not an integer; allowed: integers in ±(2^53 − 1)`);
  }
  return value;
}

/** Throws a {@link DatasetError} unless `value` is an integer ≥ `min`; returns it. */
export function requireIntegerAtLeast(argument: string, value: unknown, min: number): number {
  const v = requireInteger(argument, value);
  if (v < min) throw new DatasetError(argument, `${v} is too small; allowed: integers ≥ ${min}`);
  return v;
}
