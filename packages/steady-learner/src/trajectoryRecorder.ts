/**
 * An online trajectory recorder for any tfjs training loop (spec §4.6, §12): tracks one bias vector (the
 * frozen-identity first layer's b1 by default) with O(d) device state, keeps the per-step reductions on the device
 * and reads them back once per epoch.
 *
 * Per step it computes on the device ‖b − b_prev‖, ‖b − b_ref‖, ‖b − b_epoch0‖² and Σ(b − b_epoch0); per epoch it
 * downloads them in one read. Variance uses the shifted two-moment formula
 * `V = (Σ‖δ‖²/S − ‖Σδ/S‖²)/η²` with δ = b − (the epoch's first bias): shifting by a point of the epoch removes the
 * catastrophic cancellation of the raw `Σ‖b‖²/S − ‖mean‖²` (b ≈ 0.02 while its spread is ~1e−5), and the scalar sums
 * are accumulated in float64 on the host.
 */
import * as tf from '@tensorflow/tfjs-core';
import { requirePositive, SteadyLearnerError } from './steadyLearnerError.js';
import { DEGENERATE_NORMALISER, type TrajectoryFormulas } from './trajectoryFormulas.js';

/** Options of {@link TrajectoryRecorder}. */
export interface TrajectoryRecorderOptions {
  /** The bias vector to track (any shape; its entries are treated as one vector). */
  bias: tf.Variable;
  /** Formulas (see {@link TrajectoryFormulas}); default `'faithful'`. */
  formulas?: TrajectoryFormulas;
  /** Per-step scalars are stacked into one tensor every `chunkSize` steps (default 256) to bound the tensor count. */
  chunkSize?: number;
}

/** What one epoch of recording produced. */
export interface EpochTrajectoryStats {
  /** Epoch index (0-based). */
  epoch: number;
  /** η of the epoch. */
  learningRate: number;
  /** Number of recorded steps S. */
  steps: number;
  /**
   * Per-step normalised steps ‖Δb‖/(η·ε) (S values). `'faithful'`: entry s (s ≥ 1) is step s's update divided by
   * step s−1's η·ε, entry 0 is 0 and not counted (the original skips it); `'theory'`: entry s is step s's update
   * divided by its own η·ε (degenerate steps: 0).
   */
  normalisedSteps: Float32Array;
  /**
   * Trajectory length of the epoch: `'faithful'`: Σ_{s≥1} entries / S (the original's T_e/N for bs 1);
   * `'theory'`: mean over the non-degenerate steps.
   */
  trajectory: number;
  /** Within-epoch variance of the bias divided by η² (Corollary 1). */
  variance: number;
  /** Per-step distance to the reference bias (first-step bias for `'faithful'`, initial bias for `'theory'`). */
  distances: Float32Array;
  /** Per-step normalisers ε (S values). */
  normalisers: Float32Array;
  /** Per-step Lipschitz values if they were recorded (else empty). */
  lipschitz: Float32Array;
  /** Steps whose normaliser was < 1e−12. */
  degenerateCount: number;
}

const SCALARS_PER_STEP = 5; // ‖Δb‖, distance, ‖δ‖², normaliser, lipschitz

/** Hook object for a training loop: `begin()`, then per epoch `beginEpoch(η)`, `recordStep(ε)` after every update, `endEpoch()`. */
export class TrajectoryRecorder {
  readonly formulas: TrajectoryFormulas;
  private readonly bias: tf.Variable;
  private readonly chunkSize: number;
  private prev: tf.Variable | undefined;
  private ref: tf.Variable | undefined;
  private epochRef: tf.Variable | undefined;
  private shiftSum: tf.Variable | undefined;
  private pending: tf.Tensor[] = [];
  private chunks: tf.Tensor[] = [];
  private epoch = -1;
  private learningRate = 0;
  private stepInEpoch = 0;
  private hasLipschitz = false;
  private started = false;

  constructor(opts: TrajectoryRecorderOptions) {
    this.bias = opts.bias;
    this.formulas = opts.formulas ?? 'faithful';
    this.chunkSize = opts.chunkSize ?? 256;
    if (this.formulas !== 'faithful' && this.formulas !== 'theory') {
      throw new SteadyLearnerError('formulas', `got '${String(this.formulas)}'; allowed: faithful, theory`);
    }
  }

  /** Captures the initial bias; call once before the first update. */
  begin(): void {
    this.disposeState();
    const flat = () => tf.tidy(() => tf.variable(tf.reshape(this.bias, [-1]), false));
    this.prev = flat();
    this.ref = this.formulas === 'theory' ? flat() : undefined;
    this.started = true;
    this.epoch = -1;
  }

  /** Starts an epoch trained with learning rate η (constant within the epoch, as in the paper's schedules). */
  beginEpoch(learningRate: number): void {
    if (!this.started) throw new SteadyLearnerError('recorder', 'call begin() before beginEpoch()');
    requirePositive('learningRate', learningRate);
    this.epoch++;
    this.learningRate = learningRate;
    this.stepInEpoch = 0;
    this.hasLipschitz = false;
    tf.dispose([...this.pending, ...this.chunks]);
    this.pending = [];
    this.chunks = [];
  }

  /**
   * Records the update just applied to the bias.
   * @param normaliser ε of this step: |∂ℓ/∂output| (or the code's ε for classifiers), a scalar tensor or number
   * @param lipschitz optional local Lipschitz constant at the step's sample
   */
  recordStep(normaliser: tf.Tensor | number, lipschitz?: tf.Tensor | number): void {
    if (this.epoch < 0) throw new SteadyLearnerError('recorder', 'call beginEpoch() before recordStep()');
    const prev = this.prev as tf.Variable;
    const values = tf.tidy(() => {
      const b = tf.reshape(this.bias, [-1]);
      if (this.ref === undefined) this.ref = tf.variable(b, false); // faithful: the bias after the very first step
      if (this.stepInEpoch === 0) {
        if (this.epochRef === undefined) {
          this.epochRef = tf.variable(b, false);
          this.shiftSum = tf.variable(tf.zerosLike(b), false);
        } else {
          this.epochRef.assign(b);
          (this.shiftSum as tf.Variable).assign(tf.zerosLike(b));
        }
      }
      const shift = tf.sub(b, this.epochRef as tf.Variable);
      (this.shiftSum as tf.Variable).assign(tf.add(this.shiftSum as tf.Variable, shift));
      const step = tf.norm(tf.sub(b, prev));
      const distance = tf.norm(tf.sub(b, this.ref));
      prev.assign(b);
      return tf.stack([
        step,
        distance,
        tf.sum(tf.square(shift)),
        tf.reshape(tf.cast(normaliser, 'float32'), []),
        tf.reshape(tf.cast(lipschitz ?? 0, 'float32'), []),
      ]);
    });
    if (lipschitz !== undefined) this.hasLipschitz = true;
    this.pending.push(values);
    this.stepInEpoch++;
    if (this.pending.length >= this.chunkSize) this.flushPending();
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    const chunk = tf.stack(this.pending);
    tf.dispose(this.pending);
    this.pending = [];
    this.chunks.push(chunk);
  }

  /** Ends the epoch: one device read, then the epoch's statistics. */
  endEpoch(): EpochTrajectoryStats {
    const S = this.stepInEpoch;
    if (S === 0) throw new SteadyLearnerError('recorder', 'no steps recorded in this epoch');
    this.flushPending();
    const all = tf.concat(this.chunks);
    const raw = all.dataSync() as Float32Array;
    const shiftSum = (this.shiftSum as tf.Variable).dataSync() as Float32Array;
    all.dispose();
    tf.dispose(this.chunks);
    this.chunks = [];
    const eta = this.learningRate;
    const normalised = new Float32Array(S);
    const distances = new Float32Array(S);
    const normalisers = new Float32Array(S);
    const lipschitz = new Float32Array(this.hasLipschitz ? S : 0);
    let degenerateCount = 0;
    let trajectorySum = 0;
    let counted = 0;
    let shiftSq = 0;
    for (let s = 0; s < S; s++) {
      const o = s * SCALARS_PER_STEP;
      const step = raw[o] as number;
      distances[s] = raw[o + 1] as number;
      shiftSq += raw[o + 2] as number;
      const eps = raw[o + 3] as number;
      normalisers[s] = eps;
      if (this.hasLipschitz) lipschitz[s] = raw[o + 4] as number;
      if (Math.abs(eps) < DEGENERATE_NORMALISER) degenerateCount++;
      if (this.formulas === 'faithful') {
        if (s === 0) continue;
        const prevEps = raw[o - SCALARS_PER_STEP + 3] as number;
        const v = step === 0 ? 0 : step / (eta * prevEps);
        normalised[s] = v;
        trajectorySum += v;
      } else {
        if (Math.abs(eps) < DEGENERATE_NORMALISER) continue;
        const v = step / (eta * eps);
        normalised[s] = v;
        trajectorySum += v;
        counted++;
      }
    }
    let meanShiftSq = 0;
    for (let i = 0; i < shiftSum.length; i++) meanShiftSq += ((shiftSum[i] as number) / S) ** 2;
    const variance = Math.max(0, shiftSq / S - meanShiftSq) / (eta * eta);
    const trajectory = this.formulas === 'faithful' ? trajectorySum / S : counted > 0 ? trajectorySum / counted : 0;
    return {
      epoch: this.epoch,
      learningRate: eta,
      steps: S,
      normalisedSteps: normalised,
      trajectory,
      variance,
      distances,
      normalisers,
      lipschitz,
      degenerateCount,
    };
  }

  private disposeState(): void {
    tf.dispose([this.prev, this.ref, this.epochRef, this.shiftSum].filter((v) => v !== undefined) as tf.Variable[]);
    tf.dispose([...this.pending, ...this.chunks]);
    this.prev = this.ref = this.epochRef = this.shiftSum = undefined;
    this.pending = [];
    this.chunks = [];
  }

  /** Frees the recorder's device state. */
  dispose(): void {
    this.disposeState();
    this.started = false;
  }
}
