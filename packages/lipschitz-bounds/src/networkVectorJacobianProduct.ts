/** Reverse-mode differentiation of a {@link PreparedNetwork} in float64: vector-Jacobian products uᵀ J_f(x). */
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import { maxPool2dBackward } from './maxPool2d.js';
import type { NetworkActivations } from './networkForward.js';
import type { PreparedNetwork } from './preparedNetwork.js';

/**
 * Returns `J_f(x)ᵀ u` for the input x of `activations` (from {@link networkForward}). ReLU has derivative 0 at 0 and
 * max pooling routes the gradient to the first maximum, as PyTorch.
 * @throws LipschitzBoundsError (argument `u`) when `u` does not have the output size
 */
export function networkVectorJacobianProduct(
  net: PreparedNetwork,
  activations: NetworkActivations,
  u: ArrayLike<number>,
): Float64Array {
  const n = net.layers.length;
  if (u.length !== net.sizes[n]) {
    throw new LipschitzBoundsError('u', `has ${u.length} values; the network output has ${net.sizes[n]}`);
  }
  const grads: (Float64Array | null)[] = net.sizes.map(() => null);
  grads[n] = Float64Array.from(u);
  const accumulate = (k: number, g: Float64Array) => {
    const cur = grads[k];
    if (cur === null || cur === undefined) grads[k] = g;
    else for (let i = 0; i < g.length; i++) cur[i] = (cur[i] as number) + (g[i] as number);
  };
  for (let k = n - 1; k >= 0; k--) {
    const g = grads[k + 1];
    grads[k + 1] = null;
    const layer = net.layers[k];
    if (!layer) continue;
    const size = net.sizes[k] as number;
    if (!g) {
      accumulate(k, new Float64Array(size));
      continue;
    }
    switch (layer.kind) {
      case 'affine':
        accumulate(k, layer.operator.applyAdjoint(g));
        break;
      case 'relu': {
        const z = activations.values[k] as Float64Array;
        accumulate(
          k,
          g.map((v, i) => ((z[i] as number) > 0 ? v : 0)),
        );
        break;
      }
      case 'maxpool':
        accumulate(k, maxPool2dBackward(size, activations.argmax[k] as Int32Array, g));
        break;
      case 'identity':
        accumulate(k, g.slice());
        break;
      case 'add':
        accumulate(layer.from + 1, g.slice());
        accumulate(k, g);
        break;
    }
  }
  return grads[0] ?? new Float64Array(net.sizes[0] as number);
}
