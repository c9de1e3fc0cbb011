/**
 * The dense form of a feed-forward ReLU network: f(x) = W_ℓ σ(… σ(W_0 x + b_0) …) + b_ℓ, which LipSDP, ECLipsE-Fast,
 * SeqLip/AutoLip and the exact oracle work on. Conv, average-pool and batchnorm layers are affine too and become
 * dense matrices (built from the operator's sparse rows); consecutive affine layers are multiplied together.
 */
import type { DenseMatrix } from './denseMatrix.js';
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import type { NetworkDescription } from './networkDescription.js';
import { type PreparedNetwork, prepareNetwork } from './preparedNetwork.js';
import type { ValidatedNetwork } from './validateNetworkDescription.js';

/** A feed-forward ReLU network as dense float64 matrices. */
export interface AffineReluChain {
  /** W_0 … W_ℓ (row-major out × in); a ReLU sits between consecutive ones. */
  weights: DenseMatrix[];
  /** b_0 … b_ℓ. */
  biases: Float64Array[];
  /** [n_0, n_1, …, n_{ℓ+1}]: input size, hidden widths, output size. */
  sizes: number[];
  /** The description type of each affine stage (e.g. `conv2d`, or `dense+batchnorm` when merged). */
  stageTypes: string[];
}

/** Options of {@link affineReluChain}. */
export interface AffineReluChainOptions {
  /** Largest dense matrix (entries) a conv layer may become. Default 2e7 (160 MB in float64). */
  maxDenseEntries?: number;
  /** Name of the calling method, for error messages. Default `this method`. */
  method?: string;
}

const ALLOWED =
  'affine layers (dense, conv2d, avgpool2d, batchnorm) separated by single ReLUs, plus flatten/dropout, ending with an affine layer';

function multiply(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const v = a.data[i * a.cols + k]!;
      if (v === 0) continue;
      for (let j = 0; j < b.cols; j++) out[i * b.cols + j]! += v * b.data[k * b.cols + j]!;
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

/**
 * Extracts the dense chain of a feed-forward ReLU network.
 * @throws LipschitzBoundsError (argument `net`) when the network has max pooling, residual adds, two ReLUs in a row,
 *   a leading or trailing ReLU, or a conv layer whose dense matrix would exceed `maxDenseEntries`.
 */
export function affineReluChain(
  network: NetworkDescription | ValidatedNetwork | PreparedNetwork,
  options: AffineReluChainOptions = {},
): AffineReluChain {
  const net: PreparedNetwork = 'layers' in network && 'sizes' in network ? network : prepareNetwork(network);
  const method = options.method ?? 'this method';
  const maxEntries = options.maxDenseEntries ?? 2e7;
  const weights: DenseMatrix[] = [];
  const biases: Float64Array[] = [];
  const stageTypes: string[] = [];
  let expectAffine = true; // after the input or a ReLU
  for (const [k, layer] of net.layers.entries()) {
    const fail = (what: string): never => {
      throw new LipschitzBoundsError(
        'net',
        `${method} needs a feed-forward ReLU network, but layers[${k}] is ${what}; allowed: ${ALLOWED}`,
      );
    };
    switch (layer.kind) {
      case 'identity':
        continue;
      case 'maxpool':
      case 'add':
        fail(layer.type);
        break;
      case 'relu':
        if (expectAffine) fail('a ReLU not preceded by an affine layer');
        expectAffine = true;
        continue;
      case 'affine': {
        const op = layer.operator;
        if (op.inputSize * op.outputSize > maxEntries) {
          fail(
            `a ${layer.type} layer whose dense matrix (${op.outputSize}×${op.inputSize}) exceeds ${maxEntries} entries`,
          );
        }
        const data = new Float64Array(op.outputSize * op.inputSize);
        for (let j = 0; j < op.outputSize; j++) {
          const row = op.row(j);
          for (let t = 0; t < row.columns.length; t++) data[j * op.inputSize + row.columns[t]!]! += row.values[t]!;
        }
        const w: DenseMatrix = { rows: op.outputSize, cols: op.inputSize, data };
        if (expectAffine) {
          weights.push(w);
          biases.push(Float64Array.from(layer.bias));
          stageTypes.push(layer.type);
        } else {
          // Two affine maps in a row compose exactly: W' = W W_prev, b' = W b_prev + b.
          const last = weights.length - 1;
          const prevB = biases[last]!;
          const b = Float64Array.from(layer.bias);
          for (let i = 0; i < w.rows; i++)
            for (let j = 0; j < w.cols; j++) b[i]! += w.data[i * w.cols + j]! * prevB[j]!;
          weights[last] = multiply(w, weights[last]!);
          biases[last] = b;
          stageTypes[last] = `${stageTypes[last]}+${layer.type}`;
        }
        expectAffine = false;
      }
    }
  }
  if (weights.length === 0)
    throw new LipschitzBoundsError('net', `${method} needs at least one affine layer; allowed: ${ALLOWED}`);
  if (expectAffine)
    throw new LipschitzBoundsError(
      'net',
      `${method} needs the network to end with an affine layer, not a ReLU; allowed: ${ALLOWED}`,
    );
  const sizes = [weights[0]!.cols, ...weights.map((w) => w.rows)];
  return { weights, biases, sizes, stageTypes };
}

/** The chain restricted to affine stages [from, to) (a sub-network; the ReLUs between them stay). */
export function sliceAffineReluChain(chain: AffineReluChain, from: number, to: number): AffineReluChain {
  return {
    weights: chain.weights.slice(from, to),
    biases: chain.biases.slice(from, to),
    sizes: chain.sizes.slice(from, to + 1),
    stageTypes: chain.stageTypes.slice(from, to),
  };
}
