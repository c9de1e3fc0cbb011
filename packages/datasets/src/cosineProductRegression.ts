/**
 * The regression data of the steady-learner MLP experiment (steady-learner §3.1): a 2-D cosine product
 * `y = cos(2πf·u)·cos(2πf·v)`, (u, v) ~ U(−1, 1)², embedded on a random 2-D plane through the origin of R^dimension
 * and scaled: `x = scale·(u·q₀ + v·q₁)` with q₀, q₁ the first two columns of the orthogonal factor of the QR
 * decomposition of a random Gaussian matrix R = randn(d, d)/√d. So ‖x‖ = scale·‖(u, v)‖ ≤ scale·√2.
 */
import { DatasetError, requireIntegerAtLeast } from './datasetErrors.js';
import { SeededRandom } from './seededRandom.js';

/** Options of {@link cosineProductRegression}. */
export interface CosineProductOptions {
  /** Integer seed (the original is unseeded; we always seed). */
  readonly seed: number;
  /** Training points N (default 100); the test set has ⌊0.3·N⌋ independent points. */
  readonly count?: number;
  /** Frequency f (default 0.5; the paper uses 0.25, 0.5, 0.75, 1). */
  readonly frequency?: number;
  /** Embedding dimension d ≥ 2 (default 10). */
  readonly dimension?: number;
  /** Scale of the embedding (default 10). */
  readonly scale?: number;
}

/** Points and targets of one split; `inputs` is row-major `count × dimension`. */
export interface RegressionSplit {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  /** The 2-D coordinates (u, v) before embedding, row-major `count × 2`. */
  readonly plane: Float64Array;
  readonly count: number;
}

/** The regression data set. */
export interface CosineProductData {
  readonly train: RegressionSplit;
  readonly test: RegressionSplit;
  readonly dimension: number;
  /** Orthonormal basis q₀, q₁ of the embedding plane, row-major `dimension × 2`. */
  readonly basis: Float64Array;
}

/**
 * Generates the data. Draw order, as the original: u_train(N), v_train(N), u_test(M), v_test(M), then R (d² normals,
 * row-major). Bitwise equality with NumPy is not a goal. Computed in float64, stored as float32.
 * @throws DatasetError on a non-integer seed, count < 1, dimension < 2, or a non-finite frequency or scale
 */
export function cosineProductRegression(options: CosineProductOptions): CosineProductData {
  const rng = new SeededRandom(options.seed);
  const n = requireIntegerAtLeast('count', options.count ?? 100, 1);
  const d = requireIntegerAtLeast('dimension', options.dimension ?? 10, 2);
  const f = options.frequency ?? 0.5;
  const scale = options.scale ?? 10;
  if (!Number.isFinite(f)) throw new DatasetError('frequency', `${f}; allowed: finite numbers`);
  if (!Number.isFinite(scale)) throw new DatasetError('scale', `${scale}; allowed: finite numbers`);
  const m = Math.floor(0.3 * n);
  const draw = (k: number) => Float64Array.from({ length: k }, () => rng.nextUniform(-1, 1));
  const [uTrain, vTrain, uTest, vTest] = [draw(n), draw(n), draw(m), draw(m)];
  const r = Float64Array.from({ length: d * d }, () => rng.nextNormal() / Math.sqrt(d));
  // Modified Gram–Schmidt on R's first two columns gives the same plane as Householder QR's first two columns of Q.
  const basis = new Float64Array(d * 2);
  for (let j = 0; j < 2; j++) {
    const col = Float64Array.from({ length: d }, (_, i) => r[i * d + j]!);
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += basis[i * 2 + k]! * col[i]!;
      for (let i = 0; i < d; i++) col[i]! -= dot * basis[i * 2 + k]!;
    }
    const norm = Math.hypot(...col);
    for (let i = 0; i < d; i++) basis[i * 2 + j] = col[i]! / norm;
  }
  const embed = (u: Float64Array, v: Float64Array): RegressionSplit => {
    const count = u.length;
    const inputs = new Float32Array(count * d);
    const targets = new Float32Array(count);
    const plane = new Float64Array(count * 2);
    for (let p = 0; p < count; p++) {
      const a = u[p]!;
      const b = v[p]!;
      plane[2 * p] = a;
      plane[2 * p + 1] = b;
      targets[p] = Math.cos(2 * Math.PI * f * a) * Math.cos(2 * Math.PI * f * b);
      for (let i = 0; i < d; i++) inputs[p * d + i] = scale * (a * basis[i * 2]! + b * basis[i * 2 + 1]!);
    }
    return { inputs, targets, plane, count };
  };
  return { train: embed(uTrain, vTrain), test: embed(uTest, vTest), dimension: d, basis };
}
