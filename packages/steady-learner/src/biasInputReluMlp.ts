/**
 * A ReLU MLP with the steady-learner's frozen-identity first layer, written on plain Float64Arrays with a
 * hand-written forward and backward pass. At batch size 1 a tfjs step is dominated by per-op dispatch; this path
 * does the ~12k multiply-adds of one MLP step directly (see the package README for the benchmark).
 *
 * Network (spec §3.2): `h0 = ReLU(x + b1)` (layer 0 = identity weight, frozen; only `b1` trains), then
 * `h_{l+1} = ReLU(W_l h_l + c_l)` for the hidden layers and a linear scalar output `f(x) = W_L h_L + c_L`.
 * Because layer 0 is the identity, `∂f/∂b1 = ∂f/∂x` at every x: the bias gradient *is* the input gradient.
 *
 * Arithmetic is float64 (the original is float32); the tfjs cross-check tests agree to float32 tolerance.
 */
import type { SeededRandom } from '@lipkit/datasets';
import { requireInteger, SteadyLearnerError } from './steadyLearnerError.js';

/** Layer widths of a {@link BiasInputReluMlp}: input dimension, hidden widths; the output is a scalar. */
export interface BiasInputReluMlpShape {
  /** Input dimension d (= length of `b1`). */
  inputDim: number;
  /** Widths of the hidden dense layers after layer 0 (e.g. `[32, 32, 32]` for the paper's MLP). */
  hidden: readonly number[];
}

/** The paper's trajectory MLP (`MLP(10, 32)`): 2,507 trainable parameters. */
export const PAPER_MLP_SHAPE: BiasInputReluMlpShape = { inputDim: 10, hidden: [32, 32, 32] };
/** The paper's regions MLP (`MLP2(10, 32)`): 395 trainable parameters. */
export const PAPER_MLP2_SHAPE: BiasInputReluMlpShape = { inputDim: 10, hidden: [32] };

/** Number of trainable parameters (b1 + every dense weight and bias) of a shape. */
export function biasInputReluMlpParamCount(shape: BiasInputReluMlpShape): number {
  const widths = [shape.inputDim, ...shape.hidden, 1];
  let n = shape.inputDim;
  for (let l = 0; l + 1 < widths.length; l++)
    n += (widths[l] as number) * (widths[l + 1] as number) + (widths[l + 1] as number);
  return n;
}

/** Parameters of a {@link BiasInputReluMlp} (row-major `W_l` of shape out×in, as PyTorch `nn.Linear`). */
export interface BiasInputReluMlpParams {
  b1: Float64Array;
  weights: Float64Array[];
  biases: Float64Array[];
}

/**
 * A trainable {@link BiasInputReluMlpShape} network. Not thread-safe (scratch buffers are reused).
 */
export class BiasInputReluMlp {
  /** [d, hidden…, 1]. */
  readonly widths: readonly number[];
  /** The trainable first-layer bias `b1` (length d). */
  readonly b1: Float64Array;
  /** `W_l`, out×in row-major, for the dense layers after layer 0. */
  readonly weights: Float64Array[];
  /** `c_l` for the dense layers after layer 0. */
  readonly biases: Float64Array[];
  /** Post-ReLU activations of the last forward pass: acts[0] = ReLU(x + b1), acts[l] after dense layer l−1. */
  private readonly acts: Float64Array[];
  private readonly deltas: Float64Array[];
  private readonly gradW: Float64Array[];
  private readonly gradC: Float64Array[];
  private readonly gradB1: Float64Array;

  private constructor(shape: BiasInputReluMlpShape, params: BiasInputReluMlpParams) {
    this.widths = [shape.inputDim, ...shape.hidden, 1];
    this.b1 = params.b1;
    this.weights = params.weights;
    this.biases = params.biases;
    const hiddenWidths = this.widths.slice(0, -1);
    this.acts = hiddenWidths.map((w) => new Float64Array(w));
    this.deltas = hiddenWidths.map((w) => new Float64Array(w));
    this.gradW = this.weights.map((w) => new Float64Array(w.length));
    this.gradC = this.biases.map((c) => new Float64Array(c.length));
    this.gradB1 = new Float64Array(shape.inputDim);
  }

  /**
   * A network with PyTorch 1.8's default `nn.Linear` init: every weight and bias `U(−1/√fan_in, 1/√fan_in)`; `b1`
   * uses fan_in = d (the frozen identity layer keeps its default bias init). Draw order: b1, then per layer W, c.
   */
  static pytorchInit(shape: BiasInputReluMlpShape, random: SeededRandom): BiasInputReluMlp {
    validateShape(shape);
    const widths = [shape.inputDim, ...shape.hidden, 1];
    const uniformArray = (n: number, fanIn: number) => {
      const a = new Float64Array(n);
      const bound = 1 / Math.sqrt(fanIn);
      for (let i = 0; i < n; i++) a[i] = random.nextUniform(-bound, bound);
      return a;
    };
    const b1 = uniformArray(shape.inputDim, shape.inputDim);
    const weights: Float64Array[] = [];
    const biases: Float64Array[] = [];
    for (let l = 0; l + 1 < widths.length; l++) {
      const fanIn = widths[l] as number;
      const out = widths[l + 1] as number;
      weights.push(uniformArray(out * fanIn, fanIn));
      biases.push(uniformArray(out, fanIn));
    }
    return new BiasInputReluMlp(shape, { b1, weights, biases });
  }

  /** A network with the given parameters (copied). */
  static fromParams(shape: BiasInputReluMlpShape, params: BiasInputReluMlpParams): BiasInputReluMlp {
    validateShape(shape);
    const widths = [shape.inputDim, ...shape.hidden, 1];
    const check = (name: string, a: Float64Array | undefined, n: number) => {
      if (a?.length !== n) throw new SteadyLearnerError(name, `expected length ${n}, got ${a?.length}`);
    };
    check('params.b1', params.b1, shape.inputDim);
    if (params.weights.length !== widths.length - 1 || params.biases.length !== widths.length - 1) {
      throw new SteadyLearnerError('params', `expected ${widths.length - 1} dense layers`);
    }
    for (let l = 0; l + 1 < widths.length; l++) {
      check(`params.weights[${l}]`, params.weights[l], (widths[l] as number) * (widths[l + 1] as number));
      check(`params.biases[${l}]`, params.biases[l], widths[l + 1] as number);
    }
    return new BiasInputReluMlp(shape, {
      b1: Float64Array.from(params.b1),
      weights: params.weights.map((w) => Float64Array.from(w)),
      biases: params.biases.map((c) => Float64Array.from(c)),
    });
  }

  /** A deep copy of the parameters. */
  params(): BiasInputReluMlpParams {
    return {
      b1: Float64Array.from(this.b1),
      weights: this.weights.map((w) => Float64Array.from(w)),
      biases: this.biases.map((c) => Float64Array.from(c)),
    };
  }

  /**
   * Forward pass at `x` (length d, read from `x[offset…]`); keeps the activations for {@link inputGradient} /
   * {@link accumulateGradient}. Returns the scalar output f(x).
   */
  forward(x: ArrayLike<number>, offset = 0): number {
    const a0 = this.acts[0] as Float64Array;
    const b1 = this.b1;
    for (let i = 0; i < a0.length; i++) {
      const v = (x[offset + i] as number) + (b1[i] as number);
      a0[i] = Math.max(v, 0);
    }
    const last = this.weights.length - 1;
    let out = 0;
    for (let l = 0; l <= last; l++) {
      const W = this.weights[l] as Float64Array;
      const c = this.biases[l] as Float64Array;
      const aIn = this.acts[l] as Float64Array;
      const nIn = aIn.length;
      if (l === last) {
        let s = c[0] as number;
        for (let i = 0; i < nIn; i++) s += (W[i] as number) * (aIn[i] as number);
        out = s;
      } else {
        const aOut = this.acts[l + 1] as Float64Array;
        for (let o = 0; o < aOut.length; o++) {
          let s = c[o] as number;
          const row = o * nIn;
          for (let i = 0; i < nIn; i++) s += (W[row + i] as number) * (aIn[i] as number);
          aOut[o] = Math.max(s, 0);
        }
      }
    }
    return out;
  }

  /** Backpropagates an output sensitivity `g` through the masks of the last forward pass; fills `deltas`. */
  private backpropagate(g: number, accumulate: boolean): void {
    const last = this.weights.length - 1;
    // deltas[l] = ∂(g·f)/∂(pre-activation feeding acts[l]), masked by acts[l] > 0 (strict, spec §4.4).
    for (let l = last; l >= 0; l--) {
      const W = this.weights[l] as Float64Array;
      const aIn = this.acts[l] as Float64Array;
      const dIn = this.deltas[l] as Float64Array;
      const nIn = aIn.length;
      dIn.fill(0);
      if (l === last) {
        for (let i = 0; i < nIn; i++) if ((aIn[i] as number) > 0) dIn[i] = g * (W[i] as number);
        if (accumulate) {
          const gW = this.gradW[l] as Float64Array;
          for (let i = 0; i < nIn; i++) gW[i] = (gW[i] as number) + g * (aIn[i] as number);
          (this.gradC[l] as Float64Array)[0] = ((this.gradC[l] as Float64Array)[0] as number) + g;
        }
      } else {
        const dOut = this.deltas[l + 1] as Float64Array;
        const gW = this.gradW[l] as Float64Array;
        const gC = this.gradC[l] as Float64Array;
        for (let o = 0; o < dOut.length; o++) {
          const d = dOut[o] as number;
          if (d === 0) continue;
          const row = o * nIn;
          for (let i = 0; i < nIn; i++) dIn[i] = (dIn[i] as number) + d * (W[row + i] as number);
          if (accumulate) {
            for (let i = 0; i < nIn; i++) gW[row + i] = (gW[row + i] as number) + d * (aIn[i] as number);
            gC[o] = (gC[o] as number) + d;
          }
        }
        for (let i = 0; i < nIn; i++) if (!((aIn[i] as number) > 0)) dIn[i] = 0;
      }
    }
  }

  /**
   * Input gradient ∇_x f at the point of the last {@link forward} (= ∇_{b1} f), written into `out` (length d).
   * Returns its Euclidean norm: the local Lipschitz constant `‖W_L S_{L−1} ⋯ S_1 I‖` of spec §4.4.
   */
  inputGradient(out?: Float64Array): number {
    this.backpropagate(1, false);
    const d0 = this.deltas[0] as Float64Array;
    let s = 0;
    for (let i = 0; i < d0.length; i++) {
      const v = d0[i] as number;
      if (out) out[i] = v;
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** Adds `g·∇_θ f` at the last forward point to the gradient buffers (g = ∂ℓ/∂f). */
  accumulateGradient(g: number): void {
    this.backpropagate(g, true);
    const d0 = this.deltas[0] as Float64Array;
    for (let i = 0; i < d0.length; i++) this.gradB1[i] = (this.gradB1[i] as number) + (d0[i] as number);
  }

  /**
   * One fused SGD step on a single sample with ½(f − y)² (batch size 1): forward, then backpropagation that updates
   * each weight right after reading it (no gradient buffers). Equivalent to `forward`, `accumulateGradient(f − y)`,
   * `applySgd(lr)`. Returns the pre-update residual f(x) − y; {@link lastInputGradientNorm} then holds the
   * **pre-update** ‖∇_x f(x)‖, obtained for free from the same pass (= ‖Δb1‖/(lr·|f − y|), paper Theorem 1).
   */
  sgdStepSingle(x: ArrayLike<number>, offset: number, target: number, lr: number): number {
    const r = this.forward(x, offset) - target;
    const last = this.weights.length - 1;
    for (let l = last; l >= 0; l--) {
      const W = this.weights[l] as Float64Array;
      const c = this.biases[l] as Float64Array;
      const aIn = this.acts[l] as Float64Array;
      const dIn = this.deltas[l] as Float64Array;
      const nIn = aIn.length;
      dIn.fill(0);
      const dOut = l === last ? undefined : (this.deltas[l + 1] as Float64Array);
      const nOut = dOut === undefined ? 1 : dOut.length;
      for (let o = 0; o < nOut; o++) {
        const d = dOut === undefined ? r : (dOut[o] as number);
        if (d === 0) continue;
        const row = o * nIn;
        const step = lr * d;
        for (let i = 0; i < nIn; i++) {
          const w = W[row + i] as number;
          dIn[i] = (dIn[i] as number) + d * w;
          W[row + i] = w - step * (aIn[i] as number);
        }
        c[o] = (c[o] as number) - step;
      }
      for (let i = 0; i < nIn; i++) if (!((aIn[i] as number) > 0)) dIn[i] = 0;
    }
    const d0 = this.deltas[0] as Float64Array;
    let sq = 0;
    for (let i = 0; i < d0.length; i++) {
      const g = d0[i] as number;
      sq += g * g;
      this.b1[i] = (this.b1[i] as number) - lr * g;
    }
    this.lastInputGradientNorm = r === 0 ? this.inputGradientAfterZeroResidual() : Math.sqrt(sq) / Math.abs(r);
    return r;
  }

  /** Pre-update ‖∇_x f‖ at the sample of the last {@link sgdStepSingle}. */
  lastInputGradientNorm = 0;

  /** With a zero residual the fused pass carries no gradient; recompute ‖∇_x f‖ (the parameters did not move). */
  private inputGradientAfterZeroResidual(): number {
    return this.inputGradient();
  }

  /** θ ← θ − lr·(accumulated gradient), then clears the buffers. */
  applySgd(lr: number): void {
    const upd = (p: Float64Array, g: Float64Array) => {
      for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) - lr * (g[i] as number);
      g.fill(0);
    };
    upd(this.b1, this.gradB1);
    for (let l = 0; l < this.weights.length; l++) {
      upd(this.weights[l] as Float64Array, this.gradW[l] as Float64Array);
      upd(this.biases[l] as Float64Array, this.gradC[l] as Float64Array);
    }
  }

  /**
   * Binary activation masks of the last forward pass: `masks[0] = 1[x + b1 > 0]`, `masks[l] = 1[h_l > 0]`
   * (strict, as the original).
   */
  activationMasks(): Uint8Array[] {
    return this.acts.map((a) => Uint8Array.from(a, (v) => (v > 0 ? 1 : 0)));
  }
}

function validateShape(shape: BiasInputReluMlpShape): void {
  requireInteger('inputDim', shape.inputDim, 1);
  for (const [i, w] of shape.hidden.entries()) requireInteger(`hidden[${i}]`, w, 1);
}
