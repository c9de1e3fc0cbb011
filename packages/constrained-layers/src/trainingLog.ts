/**
 * The in-memory record of a training run with the content and layout of the original's `tb_to_json` output
 * (`log.json`, spec §9.7), kept alongside the TensorBoard files so no event-file parsing is needed.
 */

/** A series of values over steps. */
export interface StepSeries {
  steps: number[];
  values: number[];
}

/** The `log.json` document. */
export interface TrainingLog {
  /** Hyper-parameters of the run (the hparams session's values). Unconstrained (∞) limits are stored as −1. */
  hparam: Record<string, number | string | boolean>;
  /** Final clean re-evaluation after the final projection: trn_acc, tst_acc, trn_loss, tst_loss, gap_acc, gap_loss. */
  final: Record<string, number>;
  /** Every scalar tag: `Accuracy/Train`, `Loss/Test`, `Accuracy/Gap`, … (step = epoch). */
  scalar: Record<string, StepSeries>;
  /** The last histogram per tag (`Margins/Train`, `Normalized Margins/Test`, …): bucket limits and counts. */
  hist: Record<string, { buckets: number[]; values: number[] }>;
  /** Per-layer Lipschitz estimates and (2,1) distances to initialisation over global steps. */
  norms: { lip: Record<string, StepSeries>; dist: Record<string, StepSeries> };
  /**
   * Quantities measured once before the first step (see {@link RunSetup}); `null` = not finite (e.g. a spectral
   * complexity bound without limits). Absent in logs written before it existed.
   */
  setup?: Record<string, number | null>;
}

/**
 * What a run logs at its start, before any step (the original logs its generalisation bound there, spec §9.2 step 8):
 * named quantities (log.json `setup`; the finite ones also join the hparams) and scalar curves (TensorBoard scalars
 * in the main run and log.json `scalar`, at the given steps).
 */
export interface RunSetup {
  quantities: Record<string, number>;
  scalars: Record<string, StepSeries>;
}

/** An empty log. */
export function emptyTrainingLog(): TrainingLog {
  return { hparam: {}, final: {}, scalar: {}, hist: {}, norms: { lip: {}, dist: {} } };
}

/** Appends `(step, value)` to `series[key]`, creating it. */
export function appendToSeries(series: Record<string, StepSeries>, key: string, step: number, value: number): void {
  let s = series[key];
  if (s === undefined) {
    s = { steps: [], values: [] };
    series[key] = s;
  }
  s.steps.push(step);
  s.values.push(value);
}
