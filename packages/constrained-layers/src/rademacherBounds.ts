/**
 * The 12 Rademacher-complexity generalisation bounds compared by Graf et al. (NeurIPS 2022, "On Measuring Excess
 * Capacity in Neural Networks", arXiv:2202.08070), as pure float64 functions of measured quantities (spec §10).
 * Every value is an **upper bound** on the generalisation gap of the ramp loss *if* the inputs are what their docs
 * say (e.g. `lip` an upper bound of the layer's Lipschitz constant); `ln` is the natural log.
 * `measureCapacityQuantities` measures the inputs from a trained simple convnet and a dataset.
 */
import { ConstrainedLayersError } from './constrainedLayersError.js';
import { hurwitzZeta } from './hurwitzZeta.js';

/** Measured quantities of one parametric layer l (a conv; the classifier last). Norms are of the PyTorch layout. */
export interface CapacityLayerQuantities {
  /** W_l: number of weights (after kernel surgery). */
  numParams: number;
  /** t_l: stride. */
  stride: number;
  /** k_l: kernel size (after surgery). */
  kernelSize: number;
  /** d_l: input width (pixels). */
  inputWidth: number;
  /** c_l: input channels. */
  inputChannels: number;
  /** s_l: Lipschitz constant of the layer (an upper bound, e.g. `layer.lip()`). */
  lip: number;
  /** ‖K‖_F. */
  norm22: number;
  /** ‖K − K⁰‖_F. */
  dist22: number;
  /** (2,1) group distance Σ_{o,a,b} ‖(K−K⁰)[o,:,a,b]‖₂ (spec §1), i.e. `layer.dist()`. */
  dist21: number;
  /** max_o Σ|K[o]| (ℓ1 norm of each output filter, max over filters). */
  norm1inf: number;
  /** max_o Σ|(K−K⁰)[o]|. */
  dist1inf: number;
  /** max_o ‖K[o]‖_F (largest filter Frobenius norm; Ledent et al.'s λ of the last layer). */
  maxFilterNorm: number;
  /** Σ_o ‖(K−K⁰)[o]‖_F (per-filter Frobenius distances summed; Ledent et al.'s a_l). */
  filterDist21: number;
  /** b_l: max over data and window positions of the k_l×k_l patch norm (all channels) of the layer's input. */
  inputPatchNorm: number;
}

/** Measured quantities of a trained network and its training set (spec §10). */
export interface CapacityQuantities {
  /** n: number of training samples. */
  n: number;
  /** κ: number of classes. */
  numClasses: number;
  /** γ: margin (the original uses the minimum training margin); must be > 0. */
  margin: number;
  /** ‖X‖_F over the whole (normalised) training set. */
  inputFrobeniusNorm: number;
  /** max |X| over all training pixels. */
  inputMaxAbs: number;
  /** max_j ‖X_{:,j}‖₂: the largest ℓ2 norm over samples of one input feature (pixel-channel). */
  inputMaxColumnNorm: number;
  /** Layers in forward order, classifier last. */
  layers: CapacityLayerQuantities[];
}

/** Names of the bounds, in the order of the original `Bounds.bounds('full')`. */
export const RADEMACHER_BOUND_NAMES = [
  'oursNorms',
  'bartlett',
  'ledentMain',
  'ledentFixedConstraints',
  'oursParams',
  'lin',
  'neyshabur1inf',
  'golowich1inf',
  'gouk1inf',
  'neyshaburFro',
  'golowichFro',
  'goukFro',
] as const;
/** One of {@link RADEMACHER_BOUND_NAMES}. */
export type RademacherBoundName = (typeof RADEMACHER_BOUND_NAMES)[number];

const ZETA_3_2 = 2.612375348685488;

function checkQuantities(q: CapacityQuantities): void {
  if (!(q.n >= 1)) throw new ConstrainedLayersError('n', `got ${q.n}`, 'an integer >= 1');
  if (!(q.margin > 0) || !Number.isFinite(q.margin)) {
    throw new ConstrainedLayersError(
      'margin',
      `got ${q.margin} (a misclassified training point makes the minimum margin <= 0)`,
      'a finite number > 0',
    );
  }
  if (q.layers.length === 0) throw new ConstrainedLayersError('layers', 'empty', 'at least one layer');
}

const product = (xs: number[]): number => xs.reduce((p, x) => p * x, 1);
const sum = (xs: number[]): number => xs.reduce((p, x) => p + x, 0);
const lastOf = <T>(xs: T[]): T => xs[xs.length - 1] as T;

/** Σ_l x_l^{2/3}, raised to 3/2 (the "spectral complexity" aggregation of Bartlett et al. 2017). */
function threeHalvesOfTwoThirds(xs: number[]): number {
  return sum(xs.map((x) => x ** (2 / 3))) ** 1.5;
}

/** C_l = (4/γ)(‖X‖/√n)(Π_j s_j)(dist21_l/s_l) of Theorem 3.5 (Graf et al. 2022). */
function oursComplexities(q: CapacityQuantities): number[] {
  const lipProduct = product(q.layers.map((l) => l.lip));
  const scale = (4 / q.margin) * (q.inputFrobeniusNorm / Math.sqrt(q.n)) * lipProduct;
  return q.layers.map((l) => (scale * l.dist21) / l.lip);
}

/** Graf et al. 2022, Thm 3.5 (first form): `4/n + (12 ln n/√n)·√(ln(2 max W_l))·(Σ C_l^{2/3})^{3/2}`. */
export function boundOursNorms(q: CapacityQuantities): number {
  checkQuantities(q);
  const maxW = Math.max(...q.layers.map((l) => l.numParams));
  const c = oursComplexities(q);
  return 4 / q.n + ((12 * Math.log(q.n)) / Math.sqrt(q.n)) * Math.sqrt(Math.log(2 * maxW)) * threeHalvesOfTwoThirds(c);
}

/**
 * ψ(x) = ζ(3/2)^{1/3}·ζ_H(3/2, 1 + 1/x²), the covering-number term of Thm 3.5 (second form) as coded; tends to
 * ζ(3/2)^{4/3} ≈ 3.598 as x → ∞ (the paper's text says ψ < 2.7; the code's ψ is what we follow).
 */
export function capacityPsi(x: number): number {
  return ZETA_3_2 ** (1 / 3) * hurwitzZeta(1.5, 1 + 1 / (x * x));
}

/** Graf et al. 2022, Thm 3.5 (second form): `(12/√n)·√(Σ_l 2W_l[ln(1 + (L C_l)²) + ψ((L C_l)²)])`. */
export function boundOursParams(q: CapacityQuantities): number {
  checkQuantities(q);
  const L = q.layers.length;
  const c = oursComplexities(q);
  const inner = sum(
    q.layers.map((l, i) => {
      const x = (L * (c[i] as number)) ** 2;
      return 2 * l.numParams * (Math.log(1 + x) + capacityPsi(x));
    }),
  );
  return (12 / Math.sqrt(q.n)) * Math.sqrt(inner);
}

/** Input widths with d_{L+1} = 1 appended (the classifier output is one "pixel"). */
const nextWidths = (q: CapacityQuantities): number[] => [...q.layers.slice(1).map((l) => l.inputWidth), 1];

/**
 * Bartlett, Foster & Telgarsky 2017, Lemma A.8, applied to the conv layers viewed as matrices:
 * `C^B_l = (4/γ)(‖X‖/√n)(Π s)(d_{l+1}²/k_l)(dist21_l/s_l)`, `W̄ = max_l W_l(d_l d_{l+1}/k_l)²`,
 * bound `4/n + (12 ln n/√n)·√(ln 2W̄)·(Σ (C^B_l)^{2/3})^{3/2}`.
 */
export function boundBartlett(q: CapacityQuantities): number {
  checkQuantities(q);
  const next = nextWidths(q);
  const c = oursComplexities(q).map(
    (ci, i) => (ci * (next[i] as number) ** 2) / (q.layers[i] as CapacityLayerQuantities).kernelSize,
  );
  const wBar = Math.max(
    ...q.layers.map((l, i) => l.numParams * ((l.inputWidth * (next[i] as number)) / l.kernelSize) ** 2),
  );
  return 4 / q.n + ((12 * Math.log(q.n)) / Math.sqrt(q.n)) * Math.sqrt(Math.log(2 * wBar)) * threeHalvesOfTwoThirds(c);
}

/**
 * Lin & Zhang 2019, Lemma 18: `T = (2/γ)(‖X‖/√n)(Π s)·L²·Σ_l W_l²(d_l/t_l)·norm22_l/s_l`, bound `16·T^{1/4}/√n`.
 */
export function boundLin(q: CapacityQuantities): number {
  checkQuantities(q);
  const L = q.layers.length;
  const lipProduct = product(q.layers.map((l) => l.lip));
  const t =
    (2 / q.margin) *
    (q.inputFrobeniusNorm / Math.sqrt(q.n)) *
    lipProduct *
    L ** 2 *
    sum(q.layers.map((l) => ((l.numParams ** 2 * l.inputWidth) / l.stride) * (l.norm22 / l.lip)));
  return (16 * t ** 0.25) / Math.sqrt(q.n);
}

/** Neyshabur, Tomioka & Srebro 2015, Cor. 2 (ℓ1,∞): `2^L κ Π norm1inf_l·√(ln(2 c_1 d_1²))·max|X|/√n`. */
export function boundNeyshabur1inf(q: CapacityQuantities): number {
  checkQuantities(q);
  const L = q.layers.length;
  const first = q.layers[0] as CapacityLayerQuantities;
  return (
    (2 ** L *
      q.numClasses *
      product(q.layers.map((l) => l.norm1inf)) *
      Math.sqrt(Math.log(2 * first.inputChannels * first.inputWidth ** 2)) *
      q.inputMaxAbs) /
    Math.sqrt(q.n)
  );
}

/**
 * Golowich, Rakhlin & Shamir 2018, Thm 2 (ℓ1,∞): `2κ Π norm1inf_l·√(L + 1 + ln(c_1 d_1²))·max_j‖X_{:,j}‖₂/n`.
 * **Differs from the original code**, which takes the square root of the column norm
 * (`√(max_j‖X_{:,j}‖/n)/√n`); the theorem has `max_j ‖X_{:,j}‖₂ / n`.
 */
export function boundGolowich1inf(q: CapacityQuantities): number {
  checkQuantities(q);
  const L = q.layers.length;
  const first = q.layers[0] as CapacityLayerQuantities;
  return (
    2 *
    q.numClasses *
    product(q.layers.map((l) => l.norm1inf)) *
    Math.sqrt(L + 1 + Math.log(first.inputChannels * first.inputWidth ** 2)) *
    (q.inputMaxColumnNorm / q.n)
  );
}

/**
 * Gouk et al. 2021, Thm 1 (ℓ1,∞ distance):
 * `2^{L+1} κ Π norm1inf_l·ln(c_1 d_1²)·(Σ_l dist1inf_l/norm1inf_l)·max|X|/√n`.
 */
export function boundGouk1inf(q: CapacityQuantities): number {
  checkQuantities(q);
  const L = q.layers.length;
  const first = q.layers[0] as CapacityLayerQuantities;
  return (
    (2 ** (L + 1) *
      q.numClasses *
      product(q.layers.map((l) => l.norm1inf)) *
      Math.log(first.inputChannels * first.inputWidth ** 2) *
      sum(q.layers.map((l) => l.dist1inf / l.norm1inf)) *
      q.inputMaxAbs) /
    Math.sqrt(q.n)
  );
}

/** Π_l norm22_l·d_l/t_l (the conv→matrix Frobenius norms multiplied). */
const froProduct = (q: CapacityQuantities): number =>
  product(q.layers.map((l) => (l.norm22 * l.inputWidth) / l.stride));

/** Neyshabur et al. 2015, Cor. 2 (Frobenius): `2^{L−1} κ (‖X‖/√(2n))·Π_l(norm22_l d_l/t_l)/√n`. */
export function boundNeyshaburFro(q: CapacityQuantities): number {
  checkQuantities(q);
  const L = q.layers.length;
  return (2 ** (L - 1) * q.numClasses * (q.inputFrobeniusNorm / Math.sqrt(2 * q.n)) * froProduct(q)) / Math.sqrt(q.n);
}

/** Golowich et al. 2018, Thm 1 (Frobenius): `κ(‖X‖/√n)·Π_l(norm22_l d_l/t_l)·(1 + √(2 ln2·L))/√n`. */
export function boundGolowichFro(q: CapacityQuantities): number {
  checkQuantities(q);
  const L = q.layers.length;
  return (
    (q.numClasses * (q.inputFrobeniusNorm / Math.sqrt(q.n)) * froProduct(q) * (1 + Math.sqrt(2 * Math.LN2 * L))) /
    Math.sqrt(q.n)
  );
}

/**
 * Gouk et al. 2021, Thm 2 (Frobenius distance), evaluated in log10 for range:
 * `log10 B = log10(2^{L+½} κ ‖X‖/√n) + Σ_l log10(d_l² √c_l norm22_l/t_l) + log10(Σ_l dist22_l/(norm22_l P_l))
 * − log10 √n`, `P_l = Π_{j≤l} d_j √c_j`. Returns B (may be `Infinity` when it overflows float64).
 */
export function boundGoukFro(q: CapacityQuantities): number {
  checkQuantities(q);
  const L = q.layers.length;
  let log10B = Math.log10((2 ** (L + 0.5) * q.numClasses * q.inputFrobeniusNorm) / Math.sqrt(q.n));
  let p = 1;
  let ratioSum = 0;
  for (const l of q.layers) {
    log10B += Math.log10((l.inputWidth ** 2 * Math.sqrt(l.inputChannels) * l.norm22) / l.stride);
    p *= l.inputWidth * Math.sqrt(l.inputChannels);
    ratioSum += l.dist22 / (l.norm22 * p);
  }
  log10B += Math.log10(ratioSum) - Math.log10(Math.sqrt(q.n));
  return 10 ** log10B;
}

/** Ledent et al.'s complexity term `768·R·√(log2(32Γn² + 7W̄n))` with R, Γ, W̄ from r_l, O_l = d_{l+1}², m_l = c_{l+1}. */
function ledentComplexity(q: CapacityQuantities, r: number[]): number {
  const next = nextWidths(q);
  const nextChannels = [...q.layers.slice(1).map((l) => l.inputChannels), q.numClasses];
  const R = threeHalvesOfTwoThirds(r);
  const om = q.layers.map((_, i) => (next[i] as number) ** 2 * (nextChannels[i] as number));
  const gamma = Math.max(...r.map((ri, i) => ri * (om[i] as number)));
  const wBar = Math.max(...om);
  return 768 * R * Math.sqrt(Math.log2(32 * gamma * q.n ** 2 + 7 * wBar * q.n));
}

/**
 * Ledent et al. 2021, §E (fixed constraints), as coded in the original: `λ_l = s_l` except `λ_L = max_o‖K_L[o]‖_F`;
 * `a_l = Σ_o‖(K_l−K_l⁰)[o]‖_F` except `a_L = ‖K_L‖_F` (the weight norm, not the distance);
 * `r_l = (X_0/γ)(Π λ)(a_l/λ_l)·d_{l+1}` with X_0 = the first layer's `inputPatchNorm`; bound
 * `4/n + 768·R·√(log2(32Γn² + 7W̄n))`. Like the original it has no `ln n/√n` factor (unlike {@link boundLedentMain}).
 */
export function boundLedentFixedConstraints(q: CapacityQuantities): number {
  checkQuantities(q);
  const L = q.layers.length;
  const last = lastOf(q.layers);
  const lambda = q.layers.map((l, i) => (i === L - 1 ? last.maxFilterNorm : l.lip));
  const a = q.layers.map((l, i) => (i === L - 1 ? last.norm22 : l.filterDist21));
  const x0 = (q.layers[0] as CapacityLayerQuantities).inputPatchNorm;
  const next = nextWidths(q);
  const lambdaProduct = product(lambda);
  const r = q.layers.map(
    (_, i) => (x0 / q.margin) * lambdaProduct * ((a[i] as number) / (lambda[i] as number)) * (next[i] as number),
  );
  return 4 / q.n + ledentComplexity(q, r);
}

/**
 * Ledent et al. 2021, Thm 11, as coded in the original (0-based l, b_L = γ): `a_l = Σ_o‖(K_l−K_l⁰)[o]‖_F` except
 * `a_L = ‖K_L − K_L⁰‖_F`; `ρ⁺_l = max_{i=l+1..L−1}(Π_{j=l+1..i} s_j)/b_{i+1}·d_{l+1}` for l < L−1 and
 * `ρ⁺_{L−1} = b_{L−1}/b_L`; `r_l = b_l ρ⁺_l a_l`; bound `4/n + 768·R·√(log2(32Γn² + 7W̄n))·ln n/√n`. **Differs from the original** in one respect: the original overwrites
 * its stored last-layer Lipschitz value in place (aliasing), which changes every bound computed after it; here
 * nothing is mutated.
 */
export function boundLedentMain(q: CapacityQuantities): number {
  checkQuantities(q);
  const L = q.layers.length;
  const b = [...q.layers.map((l) => l.inputPatchNorm), q.margin];
  const a = q.layers.map((l, i) => (i === L - 1 ? l.dist22 : l.filterDist21));
  const next = nextWidths(q);
  const r = q.layers.map((l, i) => {
    let rhoPlus: number;
    if (i === L - 1) {
      rhoPlus = (b[L - 1] as number) / (b[L] as number);
    } else {
      rhoPlus = 0;
      let lipRun = 1;
      for (let k = i + 1; k <= L - 1; k++) {
        lipRun *= (q.layers[k] as CapacityLayerQuantities).lip;
        rhoPlus = Math.max(rhoPlus, (lipRun / (b[k + 1] as number)) * (next[i] as number));
      }
    }
    return l.inputPatchNorm * rhoPlus * (a[i] as number);
  });
  return 4 / q.n + (ledentComplexity(q, r) * Math.log(q.n)) / Math.sqrt(q.n);
}

/** All 12 bounds of {@link RADEMACHER_BOUND_NAMES} (upper bounds on the generalisation gap; see each function). */
export function rademacherBounds(q: CapacityQuantities): Record<RademacherBoundName, number> {
  return {
    oursNorms: boundOursNorms(q),
    bartlett: boundBartlett(q),
    ledentMain: boundLedentMain(q),
    ledentFixedConstraints: boundLedentFixedConstraints(q),
    oursParams: boundOursParams(q),
    lin: boundLin(q),
    neyshabur1inf: boundNeyshabur1inf(q),
    golowich1inf: boundGolowich1inf(q),
    gouk1inf: boundGouk1inf(q),
    neyshaburFro: boundNeyshaburFro(q),
    golowichFro: boundGolowichFro(q),
    goukFro: boundGoukFro(q),
  };
}
