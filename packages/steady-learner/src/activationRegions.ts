/**
 * Activation regions of a one-hidden-layer bias-input MLP (the paper's MLP2) on a 2-D grid (spec §5): the pattern
 * κ(x) = s2 ⊗ s1 ∈ {0,1}^{n·d} (entry a·d + c = s2[a]·s1[c]), the local Lipschitz constant λ(x) = ‖∇_x f(x)‖
 * (constant on each region), and the Theorem-2 LP bound for regions that contain no training point.
 *
 * Differences from the original: region keys are the hex encoding of the packed κ bits (collision-free; the
 * original concatenates decimal bytes without a separator, §10.13), one LP is solved per region instead of per grid
 * point (same result: the LP depends only on κ), infeasible LPs are `Infinity`, and the grid is indexed
 * consistently (no transposition, §5): cell `iy·G + ix` is the point (axis[ix], axis[iy]).
 */
import type { BiasInputReluMlp } from './biasInputReluMlp.js';
import { requireInteger, SteadyLearnerError } from './steadyLearnerError.js';
import { theorem2Bound } from './theorem2Bound.js';

/** Options of {@link activationRegions}. */
export interface ActivationRegionOptions {
  /** Grid points per axis G ≥ 2 (the original: 200). */
  resolution: number;
  /** Axis range (default [−1, 1]). */
  range?: [number, number];
  /** Maps a grid point (u, v) to the network input (length d), written into `out`. */
  embed: (u: number, v: number, out: Float64Array) => void;
  /** Training inputs, n·d row-major (the network's input space). */
  trainingInputs: ArrayLike<number>;
  /** Solve the Theorem-2 LPs (default true). */
  solveLps?: boolean;
  /** Progress over grid cells, then over LPs. */
  onProgress?: (done: number, total: number) => void;
}

/** One activation region found on the grid. */
export interface ActivationRegion {
  /** Hex key of the packed κ bits. */
  key: string;
  /** κ (length n·d, 0/1). */
  pattern: Uint8Array;
  /** Number of grid cells in the region. */
  cells: number;
  /** Local Lipschitz constant ‖∇_x f‖ on the region (an exact value: f is linear there). */
  lipschitz: number;
  /** Whether some training point has this pattern. */
  containsTraining: boolean;
  /**
   * Theorem-2 bound for non-training regions (upper bound per the theorem; `Infinity` when κ is not a combination
   * of training patterns); for training regions, their own λ. `NaN`-free.
   */
  lpBound: number;
  /** k: training regions combined by the LP (0 for training regions and infeasible LPs). */
  combined: number;
}

/** The region map. */
export interface ActivationRegionMap {
  resolution: number;
  /** Grid coordinates, G values (linspace over the range). */
  axis: Float64Array;
  /** Region index per cell, G·G, cell `iy·G + ix` at (axis[ix], axis[iy]). */
  regionOf: Int32Array;
  /** f(x) per cell. */
  output: Float64Array;
  /** λ(x) per cell. */
  lipschitz: Float64Array;
  /** Regions in order of first appearance on the grid. */
  regions: ActivationRegion[];
  /** Number of distinct κ on the grid (the dead patterns κ = 0 all merge into one). */
  numRegions: number;
  /** Grid regions that contain a training pattern. */
  numTrainingRegionsOnGrid: number;
  /** Distinct κ among the training points (columns of S_T). */
  numTrainingPatterns: number;
}

/** κ = s2 ⊗ s1 of the network's last forward pass, and its hex key. */
function patternOf(net: BiasInputReluMlp): { pattern: Uint8Array; key: string } {
  const [s1, s2] = net.activationMasks() as [Uint8Array, Uint8Array];
  const d = s1.length;
  const pattern = new Uint8Array(s2.length * d);
  for (let a = 0; a < s2.length; a++) {
    if (!s2[a]) continue;
    for (let c = 0; c < d; c++) pattern[a * d + c] = s1[c] as number;
  }
  let key = '';
  for (let i = 0; i < pattern.length; i += 4) {
    const nibble =
      ((pattern[i] ?? 0) << 3) | ((pattern[i + 1] ?? 0) << 2) | ((pattern[i + 2] ?? 0) << 1) | (pattern[i + 3] ?? 0);
    key += nibble.toString(16);
  }
  return { pattern, key };
}

/**
 * Computes the region map, per-region Lipschitz constants and Theorem-2 bounds (spec §5).
 * @param net a {@link BiasInputReluMlp} with exactly one hidden layer (MLP2)
 */
export function activationRegions(net: BiasInputReluMlp, opts: ActivationRegionOptions): ActivationRegionMap {
  if (net.widths.length !== 3) {
    throw new SteadyLearnerError('net', `needs exactly one hidden layer (MLP2); got widths [${net.widths}]`);
  }
  const G = opts.resolution;
  requireInteger('resolution', G, 2);
  const [lo, hi] = opts.range ?? [-1, 1];
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) {
    throw new SteadyLearnerError('range', `got [${lo}, ${hi}]; allowed: finite lo < hi`);
  }
  const d = net.widths[0] as number;
  if (opts.trainingInputs.length % d !== 0) {
    throw new SteadyLearnerError('trainingInputs', `length must be a multiple of d = ${d}`);
  }
  const axis = Float64Array.from({ length: G }, (_, i) => lo + ((hi - lo) * i) / (G - 1));
  const x = new Float64Array(d);
  // Training patterns (S_T columns), deduplicated, sorted by key for determinism.
  const training = new Map<string, { pattern: Uint8Array; lipschitz: number }>();
  const nTrain = opts.trainingInputs.length / d;
  for (let p = 0; p < nTrain; p++) {
    net.forward(opts.trainingInputs, p * d);
    const lip = net.inputGradient();
    net.forward(opts.trainingInputs, p * d);
    const { pattern, key } = patternOf(net);
    if (!training.has(key)) training.set(key, { pattern, lipschitz: lip });
  }
  const trainingKeys = [...training.keys()].sort();
  const regionOf = new Int32Array(G * G);
  const output = new Float64Array(G * G);
  const lipschitz = new Float64Array(G * G);
  const regions: ActivationRegion[] = [];
  const index = new Map<string, number>();
  const total = G * G;
  for (let iy = 0; iy < G; iy++) {
    for (let ix = 0; ix < G; ix++) {
      const cell = iy * G + ix;
      opts.embed(axis[ix] as number, axis[iy] as number, x);
      output[cell] = net.forward(x);
      const { pattern, key } = patternOf(net);
      const lip = net.inputGradient();
      lipschitz[cell] = lip;
      let r = index.get(key);
      if (r === undefined) {
        r = regions.length;
        index.set(key, r);
        const containsTraining = training.has(key);
        regions.push({ key, pattern, cells: 0, lipschitz: lip, containsTraining, lpBound: lip, combined: 0 });
      }
      (regions[r] as ActivationRegion).cells++;
      regionOf[cell] = r;
    }
    opts.onProgress?.((iy + 1) * G, total);
  }
  if (opts.solveLps !== false && trainingKeys.length > 0) {
    const patterns = trainingKeys.map((k) => (training.get(k) as { pattern: Uint8Array }).pattern);
    const lambdas = trainingKeys.map((k) => (training.get(k) as { lipschitz: number }).lipschitz);
    const targets = regions.filter((r) => !r.containsTraining);
    for (const [i, region] of targets.entries()) {
      const res = theorem2Bound(patterns, lambdas, region.pattern);
      region.lpBound = res.bound;
      region.combined = res.combined;
      opts.onProgress?.(i + 1, targets.length);
    }
  }
  return {
    resolution: G,
    axis,
    regionOf,
    output,
    lipschitz,
    regions,
    numRegions: regions.length,
    numTrainingRegionsOnGrid: regions.filter((r) => r.containsTraining).length,
    numTrainingPatterns: trainingKeys.length,
  };
}
