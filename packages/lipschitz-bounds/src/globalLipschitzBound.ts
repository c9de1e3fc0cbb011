/**
 * The global ℓ2 Lipschitz bound: the product of per-layer Lipschitz constants (spec §3), with residual adds summing
 * the bounds of their two branches. In `certified` mode every factor is a rigorous upper bound: exact float64 SVD
 * for dense layers, the FFT bound of a conv on its padded grid (a zero-padded conv is a restriction of the circular
 * conv there) or, for layers whose Gram matrix is small, a Cholesky certificate on the exact Gram matrix; exact
 * max |scale| for batchnorm; √(n_max) for max pooling. `repo` mode is the original's 100-step
 * power iteration (an estimate from below, pitfall 1); `converged` iterates to a tolerance (still an estimate).
 */

import type { LayerFactor } from './localLipschitzBound.js';
import type { BoundMode, MaskedNormOptions } from './maskedOperatorNorm.js';
import { maskedOperatorNorm } from './maskedOperatorNorm.js';
import { maxPool2dLipschitz } from './maxPool2d.js';
import type { PreparedNetwork } from './preparedNetwork.js';

/** Result of {@link globalLipschitzBound}. */
export interface GlobalBound {
  /** Product of the factors (with residual sums): an upper bound on the global Lipschitz constant when `kind` says so. */
  value: number;
  kind: 'upper bound' | 'estimate';
  mode: BoundMode;
  /** Per-layer factors (`radius` is +∞: the whole input space). */
  layers: LayerFactor[];
}

/** Options of {@link globalLipschitzBound}. */
export interface GlobalBoundOptions extends Partial<Omit<MaskedNormOptions, 'mode'>> {
  /** Default `certified`. */
  mode?: BoundMode;
}

/** Global Lipschitz bound of the network (see the file comment). */
export function globalLipschitzBound(net: PreparedNetwork, options: GlobalBoundOptions = {}): GlobalBound {
  const mode = options.mode ?? 'certified';
  const cumulative: number[] = [1];
  const layers: LayerFactor[] = [];
  let allGuaranteed = true;
  net.layers.forEach((layer, k) => {
    let factor = 1;
    let method: LayerFactor['method'] = 'identity';
    let kind: LayerFactor['kind'] = 'upper bound';
    const before = cumulative[k] as number;
    let after: number | null = null;
    switch (layer.kind) {
      case 'affine': {
        const b = maskedOperatorNorm(layer.operator, null, null, { ...options, mode });
        factor = b.value;
        method = b.method;
        kind = b.kind;
        break;
      }
      case 'relu':
        method = 'relu-1';
        break;
      case 'maxpool':
        factor = maxPool2dLipschitz(layer.geometry.kernel, layer.geometry.stride);
        method = 'pool-overlap';
        break;
      case 'identity':
        break;
      case 'add':
        after = before + (cumulative[layer.from + 1] as number);
        factor = before > 0 ? after / before : 1;
        method = 'residual-sum';
        break;
    }
    if (kind === 'estimate') allGuaranteed = false;
    layers.push({
      index: k,
      type: layer.type,
      factor,
      radius: Number.POSITIVE_INFINITY,
      freeInputs: net.sizes[k] as number,
      method,
      kind,
    });
    cumulative.push(after ?? before * factor);
  });
  return {
    value: cumulative[cumulative.length - 1] as number,
    kind: allGuaranteed ? 'upper bound' : 'estimate',
    mode,
    layers,
  };
}
