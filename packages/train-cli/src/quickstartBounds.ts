/**
 * Stage 3 of `lipkit quickstart`: for a few test images, local ℓ2 Lipschitz bounds over an ε grid (Avant &
 * Morgansen 2023, spec local-lipschitz §4.2) with random and gradient-ascent lower bounds, the global bound, and the
 * certified radius (Prop 6), all from @lipkit/lipschitz-bounds on the exported network description.
 */
import {
  argmaxOf,
  ascentLowerBound,
  certifiedRadius,
  globalCertifiedRadius,
  globalLipschitzBound,
  localLipschitzBound,
  networkForward,
  type PreparedNetwork,
  randomLowerBound,
} from '@lipkit/lipschitz-bounds';

/** How a reported number relates to the true quantity. */
export type BoundKind = 'upper bound' | 'lower bound' | 'estimate' | 'certified lower bound';

/** A number with its label. */
export interface LabelledValue {
  value: number;
  kind: BoundKind;
}

/** One ε of one image. */
export interface EpsilonRow {
  eps: number;
  /** L(x0, ε) bound (certified mode: a guaranteed upper bound). */
  local: LabelledValue;
  /** Best ratio ‖f(x) − f(x0)‖/‖x − x0‖ over uniform samples of the ball: a lower bound on L(x0, ε). */
  random: LabelledValue;
  /** Best ratio found by projected gradient ascent in the ball: a lower bound on L(x0, ε). */
  ascent: LabelledValue;
}

/** Bounds at one test image. */
export interface ImageBounds {
  /** Index of the image in the test split. */
  index: number;
  label: number;
  predicted: number;
  /** Logit gap δ (top − runner-up). */
  gap: number;
  rows: EpsilonRow[];
  /** Largest ε with ε·L(x0, ε) < δ/√2: no perturbation of ℓ2 norm below it changes the class. */
  localRadius: LabelledValue;
  /** δ/(√2·G) from the global bound G. */
  globalRadius: LabelledValue;
}

/** Effort of the stage (defaults fit the quickstart's time budget). */
export interface ImageBoundsOptions {
  epsGrid: readonly number[];
  /** Uniform samples per ε of the random lower bound. */
  samples: number;
  /** Ascent steps per restart and restarts of the ascent lower bound. */
  ascentSteps: number;
  ascentRestarts: number;
  /** Relative bisection tolerance of the certified radius. */
  radiusTolerance: number;
  seed: number;
  /** Called after each bound computation (ε rows and radius) with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** The global bound in certified mode (an upper bound on the network's ℓ2 Lipschitz constant). */
export function globalBoundOf(net: PreparedNetwork, seed: number): LabelledValue {
  const g = globalLipschitzBound(net, { mode: 'certified', seed });
  return { value: g.value, kind: g.kind };
}

/**
 * Bounds at each input of `inputs` (flattened as the description's input, already shifted by b1). Certified mode:
 * local bounds are upper bounds (the library says `estimate` if any factor is not guaranteed, and we pass its label
 * on); the radius is a certified lower bound on the smallest class-changing ℓ2 perturbation.
 */
export function boundsAtImages(
  net: PreparedNetwork,
  inputs: { index: number; label: number; x: Float64Array }[],
  global: LabelledValue,
  options: ImageBoundsOptions,
): ImageBounds[] {
  const total = inputs.length * (options.epsGrid.length + 1);
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  return inputs.map(({ index, label, x }) => {
    const activations = networkForward(net, x);
    const logits = activations.values[activations.values.length - 1] as Float64Array;
    const rows = options.epsGrid.map((eps): EpsilonRow => {
      const local = localLipschitzBound(net, x, eps, { mode: 'certified', seed: options.seed, activations });
      const random = randomLowerBound(net, x, eps, { samples: options.samples, seed: options.seed });
      const ascent = ascentLowerBound(net, x, eps, {
        steps: options.ascentSteps,
        restarts: options.ascentRestarts,
        seed: options.seed,
      });
      tick();
      return {
        eps,
        local: { value: local.value, kind: local.kind },
        random: { value: random.value, kind: random.kind },
        ascent: { value: ascent.value, kind: ascent.kind },
      };
    });
    const radius = certifiedRadius(net, x, {
      mode: 'certified',
      seed: options.seed,
      relativeTolerance: options.radiusTolerance,
    });
    tick();
    return {
      index,
      label,
      predicted: argmaxOf(logits),
      gap: radius.gap,
      rows,
      localRadius: { value: radius.radius, kind: radius.kind },
      globalRadius: {
        value: globalCertifiedRadius(radius.gap, global.value),
        kind: global.kind === 'upper bound' ? 'certified lower bound' : 'estimate',
      },
    };
  });
}
