/**
 * An online trajectory recorder for any tfjs training loop (spec §4.6, §12): tracks one bias vector (the
 * frozen-identity first layer's b1 by default) with O(chunkSize·d) device state (not O(steps·d): the CIFAR run's raw
 * biases would be 12 GB), keeps the per-step reductions on the device and reads them back once per epoch.
 *
 * Per step it only keeps a reference to the bias (a `tf.clone`, no copy: tfjs updates variables by swapping their
 * data) and to ε; every `chunkSize` steps it computes, for the whole chunk at once on the device, ‖b − b_prev‖²,
 * ‖b − b_ref‖², ‖b − b_epoch0‖² and Σ(b − b_epoch0) (about 20 ops per chunk instead of ~12 per step, which dominated
 * a small model's step); per epoch it downloads them in one read. Variance uses the shifted two-moment formula
 * `V = (Σ‖δ‖²/S − ‖Σδ/S‖²)/η²` with δ = b − (the epoch's first bias): shifting by a point of the epoch removes the
 * catastrophic cancellation of the raw `Σ‖b‖²/S − ‖mean‖²` (b ≈ 0.02 while its spread is ~1e−5), and the scalar sums
 * are accumulated in float64 on the host. With `placement: 'host'` (the default on the cpu and wasm backends) the same
 * five scalars are computed per step in float64 from a read of the bias, and nothing is held on the device.
 */
import * as tf from '@tensorflow/tfjs-core';
import { requireInteger, requirePositive, SteadyLearnerError } from './steadyLearnerError.js';
import { DEGENERATE_NORMALISER, type TrajectoryFormulas } from './trajectoryFormulas.js';

/** Options of {@link TrajectoryRecorder}. */
export interface TrajectoryRecorderOptions {
  /** The bias vector to track (any shape; its entries are treated as one vector). */
  bias: tf.Variable;
  /** Formulas (see {@link TrajectoryFormulas}); default `'faithful'`. */
  formulas?: TrajectoryFormulas;
  /**
   * Steps per device-side reduction (an integer ≥ 1; default 256). The recorder holds up to `chunkSize` biases on
   * the device between reductions (`chunkSize·d` floats: 3 MB for the CIFAR CNN's d = 3072 at the default).
   */
  chunkSize?: number;
  /**
   * Where the per-step reductions run (default `'auto'`). `'device'`: as described above (the choice for GPU
   * backends, where a per-step read would stall the pipeline). `'host'`: each step reads the bias (d floats) and
   * accumulates the same sums in float64 in JavaScript — on the cpu and wasm backends the data already lives in this
   * process, and measured on the tfjs MLP (bs 1) this costs ≈ 0% of the step where the device path's held tensor
   * handles cost 10–20% (README). `'auto'`: `'host'` on the cpu and wasm backends, `'device'` otherwise.
   */
  placement?: 'auto' | 'device' | 'host';
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

const SCALARS_PER_STEP = 5; // ‖Δb‖², distance², ‖δ‖², normaliser, lipschitz

/** Hook object for a training loop: `begin()`, then per epoch `beginEpoch(η)`, `recordStep(ε)` after every update, `endEpoch()`. */
export class TrajectoryRecorder {
  readonly formulas: TrajectoryFormulas;
  private readonly bias: tf.Variable;
  private readonly chunkSize: number;
  /** Resolved placement of the per-step reductions. */
  readonly placement: 'device' | 'host';
  /** Host placement: previous, reference and epoch-first biases, Σδ, and the epoch's per-step scalars (float64). */
  private host:
    | { prev: Float64Array; ref?: Float64Array; epochRef?: Float64Array; shiftSum: Float64Array; scalars: number[] }
    | undefined;
  private prev: tf.Variable | undefined;
  private ref: tf.Variable | undefined;
  private epochRef: tf.Variable | undefined;
  private shiftSum: tf.Variable | undefined;
  /** Biases after each step of the current chunk (clones share the data), and the steps' ε and Lipschitz values. */
  private pendingBiases: tf.Tensor[] = [];
  private pendingNormalisers: (tf.Tensor | number)[] = [];
  private pendingLipschitz: (tf.Tensor | number)[] = [];
  /** [C, 5] per-step scalars of the reduced chunks of this epoch. */
  private chunks: tf.Tensor[] = [];
  private epoch = -1;
  private learningRate = 0;
  private stepInEpoch = 0;
  private hasLipschitz = false;
  private started = false;

  constructor(opts: TrajectoryRecorderOptions) {
    if (typeof opts?.bias?.assign !== 'function' || opts.bias.size < 1) {
      throw new SteadyLearnerError('bias', 'not a non-empty tf.Variable; allowed: the tracked bias variable');
    }
    this.bias = opts.bias;
    this.formulas = opts.formulas ?? 'faithful';
    this.chunkSize = opts.chunkSize ?? 256;
    requireInteger('chunkSize', this.chunkSize, 1);
    if (this.formulas !== 'faithful' && this.formulas !== 'theory') {
      throw new SteadyLearnerError('formulas', `got '${String(this.formulas)}'; allowed: faithful, theory`);
    }
    const placement = opts.placement ?? 'auto';
    if (placement !== 'auto' && placement !== 'device' && placement !== 'host') {
      throw new SteadyLearnerError('placement', `got '${String(placement)}'; allowed: auto, device, host`);
    }
    this.placement = placement === 'auto' ? (HOST_BACKENDS.has(tf.getBackend()) ? 'host' : 'device') : placement;
  }

  /** Captures the initial bias; call once before the first update. */
  begin(): void {
    this.disposeState();
    if (this.placement === 'host') {
      const init = Float64Array.from(this.bias.dataSync() as Float32Array);
      this.host = {
        prev: init,
        ref: this.formulas === 'theory' ? Float64Array.from(init) : undefined,
        shiftSum: new Float64Array(init.length),
        scalars: [],
      };
    } else {
      const flat = () => tf.tidy(() => tf.variable(tf.reshape(this.bias, [1, -1]), false));
      this.prev = flat();
      this.ref = this.formulas === 'theory' ? flat() : undefined;
    }
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
    this.disposePending();
    if (this.host) {
      this.host.epochRef = undefined;
      this.host.shiftSum.fill(0);
      this.host.scalars = [];
    }
  }

  /**
   * Records the update just applied to the bias.
   * @param normaliser ε of this step: |∂ℓ/∂output| (or the code's ε for classifiers), a scalar tensor or number
   * @param lipschitz optional local Lipschitz constant at the step's sample
   */
  recordStep(normaliser: tf.Tensor | number, lipschitz?: tf.Tensor | number): void {
    if (this.epoch < 0) throw new SteadyLearnerError('recorder', 'call beginEpoch() before recordStep()');
    if (lipschitz !== undefined) this.hasLipschitz = true;
    this.stepInEpoch++;
    if (this.host) {
      this.recordStepOnHost(this.host, normaliser, lipschitz);
      return;
    }
    // Clones share the data (no copy) and survive the caller disposing its tensors after the step.
    this.pendingBiases.push(tf.clone(this.bias));
    this.pendingNormalisers.push(typeof normaliser === 'number' ? normaliser : tf.clone(normaliser));
    this.pendingLipschitz.push(
      lipschitz === undefined || typeof lipschitz === 'number' ? (lipschitz ?? 0) : tf.clone(lipschitz),
    );
    if (this.pendingBiases.length >= this.chunkSize) this.reducePending();
  }

  /** The same five scalars as {@link reducePending}, for one step, in float64 on the host. */
  private recordStepOnHost(
    host: NonNullable<TrajectoryRecorder['host']>,
    normaliser: tf.Tensor | number,
    lipschitz: tf.Tensor | number | undefined,
  ): void {
    const b = this.bias.dataSync() as Float32Array;
    host.ref ??= Float64Array.from(b); // faithful: the bias after the very first step
    host.epochRef ??= Float64Array.from(b);
    const { prev, ref, epochRef, shiftSum } = host;
    let step = 0;
    let dist = 0;
    let shifted = 0;
    for (let i = 0; i < b.length; i++) {
      const v = b[i] as number;
      const d = v - (prev[i] as number);
      const r = v - (ref[i] as number);
      const q = v - (epochRef[i] as number);
      step += d * d;
      dist += r * r;
      shifted += q * q;
      shiftSum[i] = (shiftSum[i] as number) + q;
      prev[i] = v;
    }
    const scalar = (t: tf.Tensor | number) => (typeof t === 'number' ? t : (t.dataSync()[0] as number));
    host.scalars.push(step, dist, shifted, scalar(normaliser), lipschitz === undefined ? 0 : scalar(lipschitz));
  }

  /** Reduces the pending steps to one [C, 5] tensor of scalars (‖Δb‖², distance², ‖δ‖², ε, Lipschitz). */
  private reducePending(): void {
    const C = this.pendingBiases.length;
    if (C === 0) return;
    const firstOfEpoch = this.chunks.length === 0;
    const prev = this.prev as tf.Variable;
    const chunk = tf.tidy(() => {
      const B = tf.reshape(tf.stack(this.pendingBiases), [C, -1]);
      const first = tf.slice(B, [0, 0], [1, -1]);
      if (this.ref === undefined) this.ref = tf.variable(first, false); // faithful: the bias after the very first step
      if (firstOfEpoch) {
        if (this.epochRef === undefined) {
          this.epochRef = tf.variable(first, false);
          this.shiftSum = tf.variable(tf.zerosLike(first), false);
        } else {
          this.epochRef.assign(first);
          (this.shiftSum as tf.Variable).assign(tf.zerosLike(first));
        }
      }
      const before = C === 1 ? prev : tf.concat([prev, tf.slice(B, [0, 0], [C - 1, -1])], 0);
      const squaredNorms = (t: tf.Tensor) => tf.sum(tf.square(t), 1);
      // Everything that reads `prev` (which `before` may be) comes before it is moved to the chunk's last bias.
      const stepSquares = squaredNorms(tf.sub(B, before));
      const shifted = tf.sub(B, this.epochRef as tf.Variable);
      const shiftSum = this.shiftSum as tf.Variable;
      shiftSum.assign(tf.add(shiftSum, tf.sum(shifted, 0, true)));
      prev.assign(tf.slice(B, [C - 1, 0], [1, -1]));
      return tf.stack(
        [
          stepSquares,
          squaredNorms(tf.sub(B, this.ref)),
          squaredNorms(shifted),
          scalarColumn(this.pendingNormalisers),
          scalarColumn(this.pendingLipschitz),
        ],
        1,
      );
    });
    this.disposePendingSteps();
    this.chunks.push(chunk);
  }

  /** Ends the epoch: one device read, then the epoch's statistics. */
  endEpoch(): EpochTrajectoryStats {
    const S = this.stepInEpoch;
    if (S === 0) throw new SteadyLearnerError('recorder', 'no steps recorded in this epoch');
    const { raw, shiftSum } = this.host
      ? { raw: this.host.scalars, shiftSum: this.host.shiftSum }
      : this.readDeviceScalars();
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
      const step = Math.sqrt(raw[o] as number);
      distances[s] = Math.sqrt(raw[o + 1] as number);
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

  /** Device placement: reduces what is pending and reads the epoch's scalars and Σδ back in one go. */
  private readDeviceScalars(): { raw: ArrayLike<number>; shiftSum: ArrayLike<number> } {
    this.reducePending();
    const all = tf.concat(this.chunks);
    const raw = all.dataSync() as Float32Array;
    const shiftSum = (this.shiftSum as tf.Variable).dataSync() as Float32Array;
    all.dispose();
    tf.dispose(this.chunks);
    this.chunks = [];
    return { raw, shiftSum };
  }

  private disposeState(): void {
    this.host = undefined;
    tf.dispose([this.prev, this.ref, this.epochRef, this.shiftSum].filter((v) => v !== undefined) as tf.Variable[]);
    this.disposePending();
    this.prev = this.ref = this.epochRef = this.shiftSum = undefined;
  }

  private disposePendingSteps(): void {
    tf.dispose([
      ...this.pendingBiases,
      ...(this.pendingNormalisers.filter((v) => typeof v !== 'number') as tf.Tensor[]),
      ...(this.pendingLipschitz.filter((v) => typeof v !== 'number') as tf.Tensor[]),
    ]);
    this.pendingBiases = [];
    this.pendingNormalisers = [];
    this.pendingLipschitz = [];
  }

  private disposePending(): void {
    this.disposePendingSteps();
    tf.dispose(this.chunks);
    this.chunks = [];
  }

  /** Frees the recorder's device state. */
  dispose(): void {
    this.disposeState();
    this.started = false;
  }
}

/** Backends whose tensors live in this process, so a per-step read of d floats is cheaper than device bookkeeping. */
const HOST_BACKENDS = new Set(['cpu', 'wasm']);

/** One float32 column from per-step numbers or scalar tensors (one tensor when they are all numbers). */
function scalarColumn(values: (tf.Tensor | number)[]): tf.Tensor1D {
  if (values.every((v) => typeof v === 'number')) return tf.tensor1d(values as number[]);
  return tf.concat(
    values.map((v) =>
      typeof v === 'number' ? tf.tensor1d([v]) : tf.reshape(v.dtype === 'float32' ? v : tf.cast(v, 'float32'), [1]),
    ),
  ) as tf.Tensor1D;
}
