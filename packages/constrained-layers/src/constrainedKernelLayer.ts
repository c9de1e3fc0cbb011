import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkProjMode, FLOAT32_SAFETY } from './constrainedLayer.js';
import {
  ConstrainedLayersError,
  checkConstraint,
  decodeConstraint,
  encodeConstraint,
} from './constrainedLayersError.js';
import type { BaseLayerArgs } from './layerArgs.js';
import type { ProjectionMode } from './projectionLimits.js';
import { pytorchUniformValues } from './pytorchUniformInit.js';

/** Options shared by {@link ConstrainedDense} and {@link ConstrainedConv2d}. */
export interface ConstrainedKernelLayerArgs extends BaseLayerArgs {
  /** Add a bias (never constrained or projected, as in the original). Default true. */
  useBias?: boolean;
  /** Lipschitz (spectral-norm) limit, > 0; `Infinity` or `null` = none (default). */
  lipCond?: number | null;
  /** (2,1) distance-to-init limit, > 0; `Infinity` or `null` = none (default). */
  distCond?: number | null;
  /** How each projection moves a violating kernel: `'orthogonal'` (default) or `'radial'` (spec §4.1/§4.2). */
  projMode?: ProjectionMode;
  /** Seed of the init (reproducible; the bias uses seed + 1); default: `Math.random`. */
  seed?: number;
}

/**
 * The part {@link ConstrainedDense} and {@link ConstrainedConv2d} share: constraint options, the kernel, bias and
 * init-snapshot weights created at build (kernel rescaled to the Lipschitz limit), in-place kernel writes, float64
 * read-out and the config.
 */
export abstract class ConstrainedKernelLayer extends tfl.layers.Layer {
  readonly useBias: boolean;
  readonly lipCond: number;
  readonly distCond: number;
  readonly projMode: ProjectionMode;
  readonly seed: number | undefined;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;
  private initKernel: tfl.LayerVariable | null = null;
  private storedShape: number[] | null = null;

  constructor(args: ConstrainedKernelLayerArgs) {
    super(args);
    this.useBias = args.useBias ?? true;
    this.lipCond = decodeConstraint(args.lipCond);
    this.distCond = decodeConstraint(args.distCond);
    checkConstraint('lipCond', this.lipCond);
    checkConstraint('distCond', this.distCond);
    this.projMode = checkProjMode(args.projMode);
    this.seed = args.seed;
  }

  /**
   * Creates the weights from PyTorch-init kernel values (TF layout `shape`): rescales them in place to
   * `lip = lipCond·(1 − 2⁻²⁰)` when `lipOf(values)` is above the limit (the margin absorbs float32 rounding; the
   * original scales to lipCond exactly), writes the kernel, a `U(±1/√fanIn)` bias, and the init snapshot (a
   * non-trainable weight, so it is saved with the model).
   */
  protected createWeights(
    values: Float32Array,
    shape: number[],
    fanIn: number,
    units: number,
    lipOf: (values: Float32Array) => number,
  ): void {
    this.storedShape = [...shape];
    if (Number.isFinite(this.lipCond)) {
      const lip = lipOf(values);
      const target = this.lipCond * FLOAT32_SAFETY;
      if (lip > target) for (let i = 0; i < values.length; i++) values[i] = ((values[i] as number) * target) / lip;
    }
    this.kernel = this.addWeight('kernel', shape, 'float32', tfl.initializers.zeros());
    this.assign(this.kernel, values);
    if (this.useBias) {
      this.bias = this.addWeight('bias', [units], 'float32', tfl.initializers.zeros());
      this.assign(this.bias, pytorchUniformValues(units, fanIn, this.seed === undefined ? undefined : this.seed + 1));
    }
    this.initKernel = this.addWeight('initKernel', shape, 'float32', tfl.initializers.zeros(), undefined, false);
    this.assign(this.initKernel, values);
  }

  private assign(variable: tfl.LayerVariable, values: ArrayLike<number>): void {
    const t = tf.tensor(Float32Array.from(values), variable.shape as number[]);
    variable.write(t); // assign in place: optimiser slots keyed by the variable stay valid
    t.dispose();
  }

  private requireBuilt(): { kernel: tfl.LayerVariable; initKernel: tfl.LayerVariable } {
    if (!this.kernel || !this.initKernel) {
      throw new ConstrainedLayersError('layer', `'${this.name}' is not built yet`, 'call it (or build it) once first');
    }
    return { kernel: this.kernel, initKernel: this.initKernel };
  }

  /** Overwrites the kernel in place with TF-layout values. */
  protected writeKernel(values: ArrayLike<number>): void {
    this.assign(this.requireBuilt().kernel, values);
  }

  /** The kernel variable and the bias (null without bias) for the forward pass. */
  protected forwardWeights(): { kernel: tf.Tensor; bias: tf.Tensor | null } {
    return { kernel: this.requireBuilt().kernel.read(), bias: this.bias ? this.bias.read() : null };
  }

  /** TF-layout kernel shape after build. */
  protected builtShape(): number[] {
    this.requireBuilt();
    return [...(this.storedShape as number[])];
  }

  /** The kernel (TF layout) and its init snapshot as float64 copies. */
  protected kernelAndInit(): { kernel: Float64Array; init: Float64Array } {
    const { kernel, initKernel } = this.requireBuilt();
    return {
      kernel: Float64Array.from(kernel.read().dataSync()),
      init: Float64Array.from(initKernel.read().dataSync()),
    };
  }

  /** The bias as a float64 copy, or null. */
  biasValues(): Float64Array | null {
    return this.bias ? Float64Array.from(this.bias.read().dataSync()) : null;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      useBias: this.useBias,
      lipCond: encodeConstraint(this.lipCond),
      distCond: encodeConstraint(this.distCond),
      projMode: this.projMode,
    };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}
