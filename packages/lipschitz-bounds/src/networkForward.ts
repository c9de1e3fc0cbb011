/** Float64 evaluation of a {@link PreparedNetwork}, keeping every activation (for bounds and back-propagation). */
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import { maxPool2dForward } from './maxPool2d.js';
import type { PreparedNetwork } from './preparedNetwork.js';

/** All activations of one forward pass: `values[0]` = input, `values[k+1]` = output of layer k. */
export interface NetworkActivations {
  values: Float64Array[];
  /** Per layer, the max-pool arg-max indices (null for other layers). */
  argmax: (Int32Array | null)[];
}

/**
 * Runs the network on one input (flat, channels-first) in float64.
 * @throws LipschitzBoundsError (argument `x`) when the input size does not match or holds non-finite values
 */
export function networkForward(net: PreparedNetwork, x: ArrayLike<number>): NetworkActivations {
  if (x.length !== net.sizes[0]) {
    throw new LipschitzBoundsError(
      'x',
      `has ${x.length} values; the network input ${JSON.stringify(net.shapes[0])} needs ${net.sizes[0]}`,
    );
  }
  const input = Float64Array.from(x);
  if (!input.every(Number.isFinite))
    throw new LipschitzBoundsError('x', 'holds a non-finite value; allowed: finite numbers');
  const values: Float64Array[] = [input];
  const argmax: (Int32Array | null)[] = [];
  net.layers.forEach((layer, k) => {
    const z = values[k] as Float64Array;
    let out: Float64Array;
    let am: Int32Array | null = null;
    switch (layer.kind) {
      case 'affine': {
        out = layer.operator.apply(z);
        for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (layer.bias[i] as number);
        break;
      }
      case 'relu':
        out = z.map((v) => Math.max(v, 0));
        break;
      case 'maxpool': {
        const r = maxPool2dForward(layer.geometry, z);
        out = r.y;
        am = r.argmax;
        break;
      }
      case 'identity':
        out = z;
        break;
      case 'add': {
        const other = values[layer.from + 1] as Float64Array;
        out = z.map((v, i) => v + (other[i] as number));
        break;
      }
    }
    values.push(out);
    argmax.push(am);
  });
  return { values, argmax };
}

/** The network output f(x) in float64. */
export function networkOutput(net: PreparedNetwork, x: ArrayLike<number>): Float64Array {
  const { values } = networkForward(net, x);
  return values[values.length - 1] as Float64Array;
}
