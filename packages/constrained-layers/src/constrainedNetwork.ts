import type * as tfl from '@tensorflow/tfjs-layers';
import { ConstrainedConv2d } from './constrainedConv2d.js';
import { ConstrainedDense } from './constrainedDense.js';
import type { ProjectionReport, ProjectOptions } from './constrainedLayer.js';
import { checkInteger } from './constrainedLayersError.js';
import type { ConstraintVector } from './constraintVector.js';
import { layersModelNetwork } from './layersModelNetwork.js';
import type { TrainableNetwork } from './trainableNetwork.js';

/** A layer of a network that reports a Lipschitz constant and a distance to its init (constrained or fixed). */
export interface MeasuredLayer {
  lip(): number;
  dist(): number;
}

/**
 * One factor of a network's Lipschitz bookkeeping, in forward order (the product of the terms; a residual block
 * adds its two paths):
 * - `layer`: a {@link MeasuredLayer} by name; `inOriginal: false` marks layers the original's model `lip()`
 *   leaves out (the simple convnet's dense/simplex classifier);
 * - `maxPool`: an overlapping `MaxPool2d(3, 2, 1)`, counted as 1 by the original, 2 in the honest figure (each
 *   input cell lies in up to 4 windows, so ‖·‖₂ can grow by √4 = 2);
 * - `batchNorm`: eval-mode BatchNorm by layer name, ignored by the original, `max_c |γ_c|/√(var_c + ε)` honestly;
 * - `residual`: `shortcut + branch` (an empty shortcut is the identity, 1).
 */
export type LipschitzTerm =
  | { kind: 'layer'; name: string; inOriginal: boolean }
  | { kind: 'maxPool' }
  | { kind: 'batchNorm'; name: string }
  | { kind: 'residual'; shortcut: LipschitzTerm[]; branch: LipschitzTerm[] };

/** The two Lipschitz figures of {@link ConstrainedNetwork.lipschitzBookkeeping}. */
export interface LipschitzBookkeeping {
  /**
   * What the original reports (spec §7.1/§7.2): max-pools and BatchNorm counted as 1; the simple convnet's
   * dense/simplex classifier left out. **Not** an upper bound when the network has overlapping max-pools.
   */
  original: number;
  /**
   * An **upper bound** of the network's ℓ2 Lipschitz constant (given that each layer's `lip()` is one): max-pools
   * counted as 2, eval-mode BatchNorm by its largest scale, every classifier included.
   */
  upperBound: number;
}

/** Architectures built by this package. */
export type ConstrainedArchitecture = 'simpleConvnet6' | 'simpleConvnet11' | 'noStridePreActResNet18';

/** What a model builder hands to {@link ConstrainedNetwork}. */
export interface ConstrainedNetworkParts {
  architecture: ConstrainedArchitecture;
  model: tfl.LayersModel;
  lipCond: ConstraintVector;
  distCond: ConstraintVector;
  /** Layers that report lip/dist, by name, in forward order (convs, dense, simplex, pooling shortcuts). */
  measured: Map<string, MeasuredLayer>;
  plan: LipschitzTerm[];
}

function batchNormScale(layer: tfl.layers.Layer): number {
  const config = layer.getConfig() as { epsilon?: number };
  const weights = layer.getWeights();
  // [gamma, beta, movingMean, movingVariance] (scale and center on, as built by the models)
  const gamma = weights[0]?.dataSync() ?? new Float32Array();
  const variance = weights[3]?.dataSync() ?? new Float32Array();
  let max = 0;
  for (let c = 0; c < gamma.length; c++) {
    max = Math.max(max, Math.abs(gamma[c] as number) / Math.sqrt((variance[c] as number) + (config.epsilon ?? 1e-3)));
  }
  return max;
}

/**
 * A constrained network: the tfjs-layers functional model (`model`, use it for `predict`, `apply`, training and
 * saving) plus the bookkeeping of spec §7: per-layer lip/dist, `project(n)`, the model Lipschitz constant and the
 * spectral complexity. Built by {@link simpleConvnet6}, {@link simpleConvnet11} and
 * {@link noStridePreActResNet18}; every layer is initialised (kernel surgery, rescale, snapshot) when the model is
 * built, because the functional model passes the fixed input shape through every layer.
 */
export class ConstrainedNetwork {
  readonly architecture: ConstrainedArchitecture;
  readonly model: tfl.LayersModel;
  readonly lipCond: ConstraintVector;
  readonly distCond: ConstraintVector;
  private readonly measured: Map<string, MeasuredLayer>;
  private readonly plan: LipschitzTerm[];

  constructor(parts: ConstrainedNetworkParts) {
    this.architecture = parts.architecture;
    this.model = parts.model;
    this.lipCond = parts.lipCond;
    this.distCond = parts.distCond;
    this.measured = parts.measured;
    this.plan = parts.plan;
  }

  /** The trainable constrained layers (convs and dense), in forward order. */
  constrainedLayers(): (ConstrainedConv2d | ConstrainedDense)[] {
    return this.model.layers.filter(
      (l): l is ConstrainedConv2d | ConstrainedDense => l instanceof ConstrainedConv2d || l instanceof ConstrainedDense,
    );
  }

  /** Names of the measured layers (convs, classifier, shortcuts), in forward order. */
  measuredLayerNames(): string[] {
    return [...this.measured.keys()];
  }

  /**
   * Lipschitz constant per measured layer (convs, classifier, shortcuts), by layer name: each layer's `lip()`
   * (exact, float64; see {@link ConstrainedConv2d.lip}).
   */
  lipschitzByLayer(): Record<string, number> {
    return Object.fromEntries([...this.measured].map(([name, layer]) => [name, layer.lip()]));
  }

  /** (2,1) distance to the init per measured layer, by layer name (float64). */
  distanceByLayer(): Record<string, number> {
    return Object.fromEntries([...this.measured].map(([name, layer]) => [name, layer.dist()]));
  }

  /**
   * Projects every {@link ConstrainedConv2d} and {@link ConstrainedDense} in place (`nIter` Dykstra rounds each;
   * the frozen simplex classifier needs none). Unlike the original simple convnet, a constrained dense classifier
   * is projected too (spec §14.12). Returns each layer's {@link ProjectionReport}.
   */
  project(
    nIter = 1,
    options: ProjectOptions & { onProgress?: (done: number, total: number) => void } = {},
  ): Map<string, ProjectionReport> {
    checkInteger('nIter', nIter, 1);
    const layers = this.constrainedLayers();
    const reports = new Map<string, ProjectionReport>();
    layers.forEach((layer, i) => {
      reports.set(layer.name, layer.project(nIter, options));
      options.onProgress?.(i + 1, layers.length);
    });
    return reports;
  }

  private evaluate(terms: LipschitzTerm[], lips: Record<string, number>, honest: boolean): number {
    let product = 1;
    for (const term of terms) {
      if (term.kind === 'layer') {
        if (honest || term.inOriginal) product *= lips[term.name] as number;
      } else if (term.kind === 'maxPool') {
        if (honest) product *= 2;
      } else if (term.kind === 'batchNorm') {
        if (honest) product *= batchNormScale(this.model.getLayer(term.name));
      } else {
        product *= this.evaluate(term.shortcut, lips, honest) + this.evaluate(term.branch, lips, honest);
      }
    }
    return product;
  }

  /** The model's Lipschitz constant as the original reports it, and an honest upper bound (see {@link LipschitzBookkeeping}). */
  lipschitzBookkeeping(lips: Record<string, number> = this.lipschitzByLayer()): LipschitzBookkeeping {
    return { original: this.evaluate(this.plan, lips, false), upperBound: this.evaluate(this.plan, lips, true) };
  }

  /** Names of the layers the original's model `lip()` includes, in forward order (the spectral-complexity sum). */
  private includedLayerNames(): string[] {
    const included: string[] = [];
    const collect = (terms: LipschitzTerm[]) => {
      for (const t of terms) {
        if (t.kind === 'layer' && t.inOriginal) included.push(t.name);
        if (t.kind === 'residual') {
          collect(t.shortcut);
          collect(t.branch);
        }
      }
    };
    collect(this.plan);
    return included;
  }

  /** `(Σ_l (dist_l/lip_l)^{2/3})^{3/2} · lip(model)` over the included layers, lip(model) the `original` figure. */
  private spectralComplexityOf(lips: Record<string, number>, dists: Record<string, number>): number {
    let sum = 0;
    for (const name of this.includedLayerNames()) sum += ((dists[name] as number) / (lips[name] as number)) ** (2 / 3);
    return sum ** 1.5 * this.lipschitzBookkeeping(lips).original;
  }

  /**
   * Spectral complexity (Bartlett et al. 2017, as the original, spec §7): `(Σ_l (dist_l/lip_l)^{2/3})^{3/2} ·
   * lip(model)`, summed over the layers the original's model `lip()` includes (pooling shortcuts and the simplex
   * classifier add 0: their distance is 0), with `lip(model)` its `original` figure (max-pools as 1).
   */
  spectralComplexity(): number {
    return this.spectralComplexityOf(this.lipschitzByLayer(), this.distanceByLayer());
  }

  /**
   * The original's `_spectral_complexity_bound` (spec §7.2), used by its start-of-run generalisation bound: the
   * {@link ConstrainedNetwork.spectralComplexity} formula with every constrained conv/dense layer's measured lip and
   * dist replaced by its limits `lipCond`/`distCond` (fixed layers, i.e. pooling shortcuts and the simplex
   * classifier, keep their measured values: √2 and 0, and the simplex's K, which the original takes unclipped from
   * `--lip`). An upper bound of the spectral complexity whenever the constraints hold. `Infinity` when an included
   * layer has no Lipschitz or no distance limit (the original computes NaN/∞ then).
   */
  spectralComplexityBound(): number {
    const lips: Record<string, number> = {};
    const dists: Record<string, number> = {};
    for (const [name, layer] of this.measured) {
      const constrained = layer instanceof ConstrainedConv2d || layer instanceof ConstrainedDense;
      lips[name] = constrained ? layer.lipCond : layer.lip();
      dists[name] = constrained ? layer.distCond : layer.dist();
    }
    const unconstrained = this.includedLayerNames().some(
      (name) => !Number.isFinite(lips[name] as number) || !Number.isFinite(dists[name] as number),
    );
    return unconstrained ? Number.POSITIVE_INFINITY : this.spectralComplexityOf(lips, dists);
  }

  /**
   * The largest number of entries of any one weight of the model (kernels after surgery, simplex prototypes): the
   * `w` of the original's generalisation bound (spec §7.2, "max numel over modules having a weight").
   */
  maxLayerParameterCount(): number {
    let max = 0;
    for (const layer of this.model.layers) {
      for (const w of layer.weights)
        max = Math.max(
          max,
          w.shape.reduce((a: number, b) => a * (b ?? 1), 1),
        );
    }
    return max;
  }

  /**
   * The network as the training loop's {@link TrainableNetwork} (`trainModel`): variables named by position (see
   * {@link layersModelNetwork}), logits from the functional model (BatchNorm in train mode when `training`),
   * `project(n)` = {@link ConstrainedNetwork.project} with n Dykstra rounds, the per-layer maps and the spectral
   * complexity.
   */
  trainable(): TrainableNetwork {
    const [, h, w, c] = (this.model.inputs[0] as tfl.SymbolicTensor).shape as [null, number, number, number];
    return layersModelNetwork(this.model, {
      architecture: this.architecture,
      inputShape: [h, w, c],
      numClasses: (this.model.outputs[0] as tfl.SymbolicTensor).shape[1] as number,
      project: (iterations) => {
        this.project(iterations);
      },
      lipschitzByLayer: () => this.lipschitzByLayer(),
      distanceByLayer: () => this.distanceByLayer(),
      spectralComplexity: () => this.spectralComplexity(),
    });
  }

  /** Number of trainable conv kernel weights (after kernel surgery; no biases, no init snapshots, no classifier). */
  convParameterCount(): number {
    return this.constrainedLayers()
      .filter((l): l is ConstrainedConv2d => l instanceof ConstrainedConv2d && !this.isClassifier(l.name))
      .reduce((n, l) => n + l.kernelShape.reduce((a, b) => a * b, 1), 0);
  }

  private isClassifier(name: string): boolean {
    return name === CLASSIFIER_NAME;
  }
}

/** Name of every model's classifier layer. */
export const CLASSIFIER_NAME = 'classifier';
