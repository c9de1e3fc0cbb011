/**
 * The local ℓ2 Lipschitz bound of Avant & Morgansen, "Analytical Bounds on the Local Lipschitz Constants of ReLU
 * Networks" (IEEE TNNLS 2023), Thms 1–3 and Props 4–5 (spec §4): an upper bound on
 * `L(x0, ε) = sup_{0 < ‖x − x0‖₂ ≤ ε} ‖f(x) − f(x0)‖₂ / ‖x − x0‖₂`, layer by layer on balls of growing radius with
 * zero tracking (the free-coordinate mask D).
 *
 * Differences from the original: every computation is float64; unsupported layers cannot occur (the description is
 * validated) instead of silently reusing the previous factor; beyond conv/dense/ReLU/max-pool/flatten/dropout it
 * handles avg-pool (any stride), batchnorm, residual add and circular padding; a sole affine layer passes on the mask
 * of its non-zero rows instead of "all free" (except in `repo` mode); and the per-layer factors, radii and mask sizes
 * are returned. Only `certified` mode gives a guaranteed upper bound (see {@link maskedOperatorNorm}).
 */

import type { NormMethod } from './layerOperator.js';
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import { type BoundMode, type MaskedNormOptions, maskedOperatorNorm } from './maskedOperatorNorm.js';
import { maxPool2dLipschitz, maxPool2dMask } from './maxPool2d.js';
import { type NetworkActivations, networkForward } from './networkForward.js';
import type { PreparedNetwork } from './preparedNetwork.js';

/** Options of {@link localLipschitzBound}. */
export interface LocalBoundOptions extends Partial<Omit<MaskedNormOptions, 'mode'>> {
  /** Default `converged`. */
  mode?: BoundMode;
  /** Forward pass at x0, if already computed (saves one pass in sweeps). */
  activations?: NetworkActivations;
}

/** What one layer contributed to a bound. */
export interface LayerFactor {
  /** Layer index in the description. */
  index: number;
  type: string;
  /** Lipschitz factor of the layer on its input ball (1 for a ReLU merged into the preceding affine layer). */
  factor: number;
  /** Radius ε_k of the ball around the nominal input of this layer. */
  radius: number;
  /** Number of free (able to move) input coordinates of this layer. */
  freeInputs: number;
  /** How the factor was obtained (`merged` = ReLU folded into the affine-ReLU factor before it). */
  method: NormMethod | 'merged' | 'relu-1' | 'residual-sum';
  /** `upper bound` when the factor is guaranteed, `estimate` otherwise. */
  kind: 'upper bound' | 'estimate';
}

/** Result of {@link localLipschitzBound}. */
export interface LocalBound {
  eps: number;
  /** The bound on L(x0, ε): guaranteed only when `kind` is `upper bound`. */
  value: number;
  kind: 'upper bound' | 'estimate';
  mode: BoundMode;
  layers: LayerFactor[];
}

function countFree(mask: Uint8Array | null, size: number): number {
  if (mask === null) return size;
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] as number;
  return n;
}

function unionMask(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (a === null || b === null) return null;
  return a.map((v, i) => (v | (b[i] as number)) as number);
}

/**
 * Local Lipschitz upper bound (or estimate, see `mode`) of the network at `x0` over the ε-ball (spec §4.2).
 * `eps = 0` gives 0, as in the original (pitfall 4).
 * @throws LipschitzBoundsError (argument `eps`) for a negative or non-finite ε
 */
export function localLipschitzBound(
  net: PreparedNetwork,
  x0: ArrayLike<number>,
  eps: number,
  options: LocalBoundOptions = {},
): LocalBound {
  if (!Number.isFinite(eps) || eps < 0) {
    throw new LipschitzBoundsError('eps', `is ${eps}; allowed: a finite number ≥ 0`);
  }
  const mode = options.mode ?? 'converged';
  const normOptions: MaskedNormOptions = { ...options, mode };
  const acts = options.activations ?? networkForward(net, x0);
  const n = net.layers.length;
  const referenced = new Set(net.layers.flatMap((l) => (l.kind === 'add' ? [l.from + 1] : [])));
  // cumulative[k]: bound on ‖z_k − z0_k‖ / ‖x − x0‖ for activation k (k = 0: the input).
  const cumulative: number[] = [1];
  const masks: (Uint8Array | null)[] = [null];
  const layers: LayerFactor[] = [];
  let allGuaranteed = true;
  for (let k = 0; k < n; k++) {
    const layer = net.layers[k];
    if (!layer) break;
    const mask = masks[k] ?? null;
    const radius = eps * (cumulative[k] as number);
    const freeInputs = countFree(mask, net.sizes[k] as number);
    const push = (
      factor: number,
      method: LayerFactor['method'],
      kind: LayerFactor['kind'],
      nextMask: Uint8Array | null,
    ) => {
      layers.push({ index: k, type: layer.type, factor, radius, freeInputs, method, kind });
      cumulative.push((cumulative[k] as number) * factor);
      masks.push(nextMask);
      if (kind === 'estimate') allGuaranteed = false;
    };
    switch (layer.kind) {
      case 'affine': {
        const next = net.layers[k + 1];
        const op = layer.operator;
        const l2 = op.rowNormsSquared(mask);
        if (next?.kind === 'relu' && !referenced.has(k + 1)) {
          // Affine-ReLU (Thm 2 with Prop 4): ȳ = y0 + ε‖a_jᵀD‖, r_j = (relu(ȳ) − relu(y0)) / (ȳ − y0).
          const y0 = acts.values[k + 1] as Float64Array;
          const r = new Float64Array(y0.length);
          const nextMask = new Uint8Array(y0.length);
          for (let j = 0; j < y0.length; j++) {
            const y = y0[j] as number;
            const reach = radius * Math.sqrt(l2[j] as number);
            // Certified mode widens ȳ by a float64 rounding allowance: r grows with ȳ, and a unit must not be
            // declared dead (ȳ ≤ 0) by rounding.
            const ybar = mode === 'certified' && reach > 0 ? y + reach * (1 + 1e-12) + 1e-15 * Math.abs(y) : y + reach;
            r[j] = ybar === y ? 0 : (Math.max(ybar, 0) - Math.max(y, 0)) / (ybar - y);
            // Zero tracking: units with ȳ ≤ 0 are 0 on the whole ball; units with no free input are constant.
            nextMask[j] = ybar > 0 && (mode === 'repo' || (l2[j] as number) > 0) ? 1 : 0;
          }
          const norm = maskedOperatorNorm(op, r, mask, normOptions);
          push(norm.value, norm.method, norm.kind, null);
          // The ReLU itself: its factor is inside ‖R A D‖.
          const reluRadius = eps * (cumulative[k + 1] as number);
          layers.push({
            index: k + 1,
            type: 'relu',
            factor: 1,
            radius: reluRadius,
            freeInputs: countFree(nextMask, y0.length),
            method: 'merged',
            kind: 'upper bound',
          });
          cumulative.push(cumulative[k + 1] as number);
          masks.push(nextMask);
          k++;
        } else {
          const norm = maskedOperatorNorm(op, null, mask, normOptions);
          const nextMask = mode === 'repo' ? null : l2.map((v) => (v > 0 ? 1 : 0));
          push(norm.value, norm.method, norm.kind, nextMask as Uint8Array | null);
        }
        break;
      }
      case 'relu':
        // A ReLU not after an affine layer: 1-Lipschitz, and constant inputs stay constant.
        push(1, 'relu-1', 'upper bound', mask);
        break;
      case 'maxpool':
        push(
          maxPool2dLipschitz(layer.geometry.kernel, layer.geometry.stride),
          'pool-overlap',
          'upper bound',
          maxPool2dMask(layer.geometry, mask),
        );
        break;
      case 'identity':
        push(1, 'identity', 'upper bound', mask);
        break;
      case 'add': {
        // ‖Δz_k + Δz_from‖ ≤ (C_k + C_from)·‖Δx‖.
        const before = cumulative[k] as number;
        const total = before + (cumulative[layer.from + 1] as number);
        push(
          before > 0 ? total / before : 1,
          'residual-sum',
          'upper bound',
          unionMask(mask, masks[layer.from + 1] ?? null),
        );
        cumulative[k + 1] = total;
        break;
      }
    }
  }
  return {
    eps,
    value: cumulative[n] as number,
    kind: allGuaranteed ? 'upper bound' : 'estimate',
    mode,
    layers,
  };
}
