import { spectralNormExactCircular } from '@lipkit/lipschitz-bounds';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { circularConv2d } from './circularConv2d.js';
import {
  type ConstrainedLayer,
  checkProjMode,
  enforceBothConstraints,
  FLOAT32_SAFETY,
  type ProjectionReport,
  type ProjectOptions,
  projectionReport,
} from './constrainedLayer.js';
import {
  ConstrainedLayersError,
  checkConstraint,
  checkInteger,
  decodeConstraint,
  encodeConstraint,
} from './constrainedLayersError.js';
import { circularConvSpectralNorm } from './convSpectralNorm.js';
import { projectConvKernelConstraints } from './dykstraProjection.js';
import { groupNormDistance } from './groupNormBallProjection.js';
import { tfConvKernelOf, torchConvKernelOf } from './kernelLayout.js';
import { type BaseLayerArgs, type LayerShape, singleShape } from './layerArgs.js';
import type { ProjectionMode } from './projectionLimits.js';
import { pytorchUniformValues } from './pytorchUniformInit.js';

/** Options of {@link ConstrainedConv2d}. */
export interface ConstrainedConv2dArgs extends BaseLayerArgs {
  /** Output channels. */
  filters: number;
  /** Square kernel size k (before kernel surgery). */
  kernelSize: number;
  /** Stride s (both axes); default 1. Output size ⌈H/s⌉. */
  strides?: number;
  /** Add a bias (never constrained or projected). Default true. */
  useBias?: boolean;
  /** Lipschitz (spectral-norm) limit, > 0; `Infinity` or `null` = none (default). */
  lipCond?: number | null;
  /** (2,1) distance-to-init limit, > 0; `Infinity` or `null` = none (default). */
  distCond?: number | null;
  /** How each projection moves a violating kernel: `'orthogonal'` (default) or `'radial'` (spec §4.1/§4.2). */
  projMode?: ProjectionMode;
  /** Seed of the init (reproducible); default: `Math.random`. */
  seed?: number;
}

/** TF-layout kernel shape `[kh, kw, Cin, Cout]`. */
export type ConvKernelShape = [number, number, number, number];

/**
 * Kernel surgery for tiny inputs (spec §6.2, exactly as the original with circular padding): on a 1×1 input the
 * k×k kernel is replaced by its spatial sum (function-preserving: every tap sees the same pixel); on a 2×2 input
 * a larger kernel is cropped to its top-left 2×2 (**not** function-preserving; it acts as a different init). Returns
 * the new values and shape; other sizes are unchanged.
 */
export function kernelSurgery(
  values: Float32Array,
  shape: ConvKernelShape,
  height: number,
  width: number,
): { values: Float32Array; shape: ConvKernelShape } {
  const [k, , cin, cout] = shape;
  const cc = cin * cout;
  if (height === 1 && width === 1 && k > 1) {
    const out = new Float32Array(cc);
    for (let p = 0; p < k * k; p++)
      for (let i = 0; i < cc; i++) out[i] = (out[i] as number) + (values[p * cc + i] as number);
    return { values: out, shape: [1, 1, cin, cout] };
  }
  if (height === 2 && width === 2 && k > 2) {
    const out = new Float32Array(4 * cc);
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) out.set(values.subarray((a * k + b) * cc, (a * k + b + 1) * cc), (a * 2 + b) * cc);
    }
    return { values: out, shape: [2, 2, cin, cout] };
  }
  return { values, shape };
}

/**
 * 2-D convolution (NHWC) with **circular padding** derived from the kernel size (spec §2.2, via
 * {@link circularConv2d}), a Lipschitz limit `lipCond` and a limit `distCond` on the (2,1)-group distance
 * `Σ_{o,a,b} ‖K[a,b,:,o] − K⁰[a,b,:,o]‖₂` to the init snapshot (spec §1: one group per output channel and kernel
 * position, norm over input channels). Init is PyTorch's `U(±1/√(Cin·k²))`.
 *
 * Lazy initialisation on the first call (build, which knows the input size H×W and freezes it, spec §6.2):
 * kernel surgery for 1×1 and 2×2 inputs ({@link kernelSurgery}), rescale to `lip = lipCond·(1 − 2⁻²⁰)` if the init is above (the margin absorbs float32 rounding),
 * and the init snapshot (a non-trainable weight, saved with the model). A kernel larger than a bigger input is an
 * error.
 *
 * `lip()` is the exact spectral norm of the layer (float64 FFT + per-frequency eigenvalues; the true strided
 * operator for stride > 1), where the original's power iteration estimates a stride-1 operator on the *output*
 * grid (spec §2.3: a slight under-estimate, and not the strided layer's norm).
 */
export class ConstrainedConv2d extends tfl.layers.Layer implements ConstrainedLayer {
  /** @nocollapse */
  static className = 'ConstrainedConv2d';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly useBias: boolean;
  readonly lipCond: number;
  readonly distCond: number;
  readonly projMode: ProjectionMode;
  readonly seed: number | undefined;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;
  private initKernel: tfl.LayerVariable | null = null;
  private builtShape: ConvKernelShape | null = null;
  private grid: [number, number] = [0, 0];

  constructor(args: ConstrainedConv2dArgs) {
    super(args);
    checkInteger('filters', args.filters, 1);
    checkInteger('kernelSize', args.kernelSize, 1);
    checkInteger('strides', args.strides ?? 1, 1);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.useBias = args.useBias ?? true;
    this.lipCond = decodeConstraint(args.lipCond);
    this.distCond = decodeConstraint(args.distCond);
    checkConstraint('lipCond', this.lipCond);
    checkConstraint('distCond', this.distCond);
    this.projMode = checkProjMode(args.projMode);
    this.seed = args.seed;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(inputShape);
    const [, height, width, cin] = shape;
    if (shape.length !== 4 || height == null || width == null || cin == null) {
      throw new ConstrainedLayersError(
        'inputShape',
        `got [${shape.join(', ')}]`,
        '[batch, height, width, channels] with known sizes',
      );
    }
    const k = this.kernelSize;
    const tiny = height === width && (height === 1 || height === 2);
    if (!tiny && (k > height || k > width)) {
      throw new ConstrainedLayersError(
        'kernelSize',
        `${k} is larger than the ${height}×${width} input of '${this.name}'`,
        `kernelSize <= min(height, width), or a 1×1 / 2×2 input (kernel surgery)`,
      );
    }
    const fanIn = cin * k * k;
    const raw = pytorchUniformValues(k * k * cin * this.filters, fanIn, this.seed);
    const { values, shape: kernelShape } = kernelSurgery(raw, [k, k, cin, this.filters], height, width);
    this.builtShape = kernelShape;
    this.grid = [height, width];
    if (Number.isFinite(this.lipCond)) {
      const lip = circularConvSpectralNorm(values, kernelShape, height, width); // stride-1 norm: the constrained set
      if (lip > this.lipCond)
        for (let i = 0; i < values.length; i++)
          values[i] = (values[i] as number) * ((this.lipCond * FLOAT32_SAFETY) / lip);
    }
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', tfl.initializers.zeros());
    this.writeKernel(values);
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
      const b = tf.tensor1d(
        pytorchUniformValues(this.filters, fanIn, this.seed === undefined ? undefined : this.seed + 1),
      );
      this.bias.write(b);
      b.dispose();
    }
    this.initKernel = this.addWeight('initKernel', kernelShape, 'float32', tfl.initializers.zeros(), undefined, false);
    const k0 = tf.tensor4d(values, kernelShape);
    this.initKernel.write(k0);
    k0.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [n, h, w] = singleShape(inputShape);
    const size = (x: number | null | undefined) => (x == null ? null : Math.ceil(x / this.strides));
    return [n ?? null, size(h), size(w), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const y = circularConv2d(x, this.kernel?.read() as tf.Tensor4D, this.strides);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  private requireBuilt(): { kernel: tfl.LayerVariable; initKernel: tfl.LayerVariable; shape: ConvKernelShape } {
    if (!this.kernel || !this.initKernel || !this.builtShape) {
      throw new ConstrainedLayersError('layer', `'${this.name}' is not built yet`, 'call it (or build it) once first');
    }
    return { kernel: this.kernel, initKernel: this.initKernel, shape: this.builtShape };
  }

  private writeKernel(values: ArrayLike<number>): void {
    const t = tf.tensor4d(Float32Array.from(values), this.requireShape());
    this.kernel?.write(t); // assign in place: optimiser slots keyed by the variable stay valid
    t.dispose();
  }

  private requireShape(): ConvKernelShape {
    if (!this.builtShape)
      throw new ConstrainedLayersError('layer', `'${this.name}' is not built yet`, 'call it once first');
    return this.builtShape;
  }

  /** Input grid `[H, W]` frozen at the first call. */
  get inputGrid(): [number, number] {
    return [...this.grid];
  }

  /** Kernel shape `[kh, kw, Cin, Cout]` after surgery (TF layout). */
  get kernelShape(): ConvKernelShape {
    return [...this.requireShape()];
  }

  /** Kernel size after surgery (1 on 1×1 inputs, ≤ 2 on 2×2 inputs, else `kernelSize`). */
  get effectiveKernelSize(): number {
    return this.requireShape()[0];
  }

  /** The kernel `[kh, kw, Cin, Cout]` (TF layout) and its init snapshot as float64 copies. */
  kernelValues(): { kernel: Float64Array; init: Float64Array; shape: ConvKernelShape } {
    const { kernel, initKernel, shape } = this.requireBuilt();
    return {
      kernel: Float64Array.from(kernel.read().dataSync()),
      init: Float64Array.from(initKernel.read().dataSync()),
      shape: [...shape],
    };
  }

  /** The bias as a float64 copy, or null. */
  biasValues(): Float64Array | null {
    return this.bias ? Float64Array.from(this.bias.read().dataSync()) : null;
  }

  /**
   * Lipschitz constant (ℓ2) of the layer as applied, float64, **exact**: the spectral norm of the circular conv on
   * the input grid, for stride s the exact strided operator (when s divides H and W; else the stride-1 norm, an
   * upper bound). The constraint `lipCond` is enforced on the stride-1 norm (as the original's projection), which
   * bounds the strided one, so `lip() ≤ lipCond` whenever the constraint holds.
   */
  lip(): number {
    const { kernel, shape } = this.kernelValues();
    return circularConvSpectralNorm(kernel, shape, this.grid[0], this.grid[1], this.strides);
  }

  /** (2,1) distance `Σ_{o,a,b} ‖(K − K⁰)[a,b,:,o]‖₂` to the init snapshot (spec §1), float64. */
  dist(): number {
    const { kernel, init, shape } = this.kernelValues();
    const k = torchConvKernelOf(kernel, shape);
    return groupNormDistance(k.data, torchConvKernelOf(init, shape).data, k.shape);
  }

  /**
   * Projects K in place (`variable.assign`, so optimiser state is kept) onto `{σ ≤ lipCond} ∩ {dist ≤ distCond}`,
   * σ the stride-1 circular norm on the input grid (which bounds the strided layer): `nIter` Dykstra rounds over
   * [distance ball, spectral ball of the embedded kernel, k×k support mask] (spec §6.2, §4.4; numeric core's
   * `projectConvKernelConstraints`). The mask is last, so σ may stay above `lipCond` (spec §14.6); the report says
   * by how much, and `guarantee: 'feasible'` removes it.
   */
  project(nIter = 10, options: ProjectOptions = {}): ProjectionReport {
    checkInteger('nIter', nIter, 1);
    const { kernel, init, shape } = this.kernelValues();
    const torchInit = torchConvKernelOf(init, shape);
    const result = projectConvKernelConstraints(torchConvKernelOf(kernel, shape), torchInit, this.grid, {
      lipCond: this.lipCond,
      distCond: this.distCond,
      rounds: nIter,
      mode: this.projMode,
    });
    let projected = result.kernel.data;
    if (options.guarantee === 'feasible') {
      projected = enforceBothConstraints(
        projected,
        torchInit.data,
        this.lipCond,
        this.distCond,
        (k) => spectralNormExactCircular({ shape: torchInit.shape, data: k }, this.grid[0], this.grid[1]).value,
        (k) => groupNormDistance(k, torchInit.data, torchInit.shape),
      );
    }
    this.writeKernel(tfConvKernelOf({ shape: torchInit.shape, data: projected }));
    return projectionReport(this.lip(), this.dist(), this.lipCond, this.distCond);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      useBias: this.useBias,
      lipCond: encodeConstraint(this.lipCond),
      distCond: encodeConstraint(this.distCond),
      projMode: this.projMode,
    };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}
tf.serialization.registerClass(ConstrainedConv2d);
