/** Errors of the training pipeline. Each names the option (or CLI flag) at fault in `argument`. */

/** A bad training option: `argument` names it, the message says what is wrong and what is allowed. */
export class TrainingConfigError extends Error {
  override name = 'TrainingConfigError';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** A checkpoint that is missing, corrupt, or does not fit the network it is loaded into. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/**
 * The loss became NaN or ±Inf. The run stops at once; the last checkpoint (end of the previous epoch) stays
 * untouched. Not a usage error (no `argument`): the CLI exits with code 1.
 */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
  constructor(
    /** Global optimiser step (1-based) whose loss was not finite. */
    readonly step: number,
    /** Epoch (0-based) of that step. */
    readonly epoch: number,
    /** The offending loss value. */
    readonly loss: number,
  ) {
    super(`loss became ${loss} at step ${step} (epoch ${epoch}); the last good checkpoint is kept`);
  }
}
