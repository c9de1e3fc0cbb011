/**
 * A validated network description compiled for float64 evaluation and bounds: every affine layer (dense, conv2d,
 * avg-pool, batchnorm) becomes a {@link LayerOperator} plus a bias expanded to the output size; activations are flat
 * Float64Arrays in (C, H, W) order, so flatten and dropout are identities.
 */
import { conv2dGeometry, convKernel } from './conv2dOperator.js';
import { averagePoolKernel, createConvLayerOperator } from './convLayerOperator.js';
import { createDenseOperator } from './denseOperator.js';
import { createDiagonalOperator } from './diagonalOperator.js';
import type { LayerOperator } from './layerOperator.js';
import type { Pool2dGeometry } from './maxPool2d.js';
import type { LayerDescription, NetworkDescription, TensorData } from './networkDescription.js';
import { type ValidatedNetwork, validateNetworkDescription } from './validateNetworkDescription.js';

/** One compiled layer. `type` is the description's layer type. */
export type PreparedLayer =
  | {
      kind: 'affine';
      type: 'dense' | 'conv2d' | 'avgpool2d' | 'batchnorm';
      operator: LayerOperator;
      /** Bias per output element (zeros when the layer has none). */
      bias: Float64Array;
    }
  | { kind: 'relu'; type: 'relu' }
  | { kind: 'maxpool'; type: 'maxpool2d'; geometry: Pool2dGeometry }
  | { kind: 'identity'; type: 'flatten' | 'dropout' }
  | { kind: 'add'; type: 'add'; from: number };

/** A network ready for evaluation and bounds. */
export interface PreparedNetwork {
  description: NetworkDescription;
  /** `shapes[0]` = input shape, `shapes[k+1]` = output shape of layer k. */
  shapes: number[][];
  /** `sizes[k]` = number of elements of `shapes[k]`. */
  sizes: number[];
  layers: PreparedLayer[];
}

function toFloat64(t: TensorData): Float64Array {
  return Float64Array.from(t.data as ArrayLike<number>);
}

function expandPerChannel(values: Float64Array, shape: number[]): Float64Array {
  const channels = shape[0] as number;
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float64Array(channels * per);
  for (let c = 0; c < channels; c++) out.fill(values[c] as number, c * per, (c + 1) * per);
  return out;
}

function prepareLayer(layer: LayerDescription, input: number[], output: number[]): PreparedLayer {
  const outSize = output.reduce((a, b) => a * b, 1);
  switch (layer.type) {
    case 'dense': {
      const [rows, cols] = layer.weight.shape as [number, number];
      const bias = layer.bias ? toFloat64(layer.bias) : new Float64Array(rows);
      return {
        kind: 'affine',
        type: 'dense',
        operator: createDenseOperator(toFloat64(layer.weight), rows, cols),
        bias,
      };
    }
    case 'conv2d': {
      const kernel = convKernel(layer.weight.shape, layer.weight.data as ArrayLike<number>);
      const geometry = conv2dGeometry(kernel.shape, input, {
        stride: layer.stride,
        padding: layer.padding,
        paddingMode: layer.paddingMode,
      });
      const bias = layer.bias ? expandPerChannel(toFloat64(layer.bias), output) : new Float64Array(outSize);
      return { kind: 'affine', type: 'conv2d', operator: createConvLayerOperator(kernel, geometry), bias };
    }
    case 'avgpool2d': {
      const kernel = averagePoolKernel(input[0] as number, layer.kernel);
      const geometry = conv2dGeometry(kernel.shape, input, { stride: layer.stride, padding: layer.padding });
      return {
        kind: 'affine',
        type: 'avgpool2d',
        operator: createConvLayerOperator(kernel, geometry),
        bias: new Float64Array(outSize),
      };
    }
    case 'batchnorm': {
      const scale = expandPerChannel(toFloat64(layer.scale), input);
      const shift = expandPerChannel(toFloat64(layer.shift), input);
      return { kind: 'affine', type: 'batchnorm', operator: createDiagonalOperator(scale), bias: shift };
    }
    case 'maxpool2d':
      return {
        kind: 'maxpool',
        type: 'maxpool2d',
        geometry: {
          channels: input[0] as number,
          inH: input[1] as number,
          inW: input[2] as number,
          outH: output[1] as number,
          outW: output[2] as number,
          kernel: layer.kernel,
          stride: layer.stride,
          padding: layer.padding,
        },
      };
    case 'relu':
      return { kind: 'relu', type: 'relu' };
    case 'flatten':
    case 'dropout':
      return { kind: 'identity', type: layer.type };
    case 'add':
      return { kind: 'add', type: 'add', from: layer.from };
  }
}

/**
 * Validates (unless already validated) and compiles a network description.
 * @throws NetworkDescriptionError naming the layer and field of the first problem
 */
export function prepareNetwork(network: NetworkDescription | ValidatedNetwork | unknown): PreparedNetwork {
  const validated =
    typeof network === 'object' && network !== null && 'shapes' in network && 'description' in network
      ? (network as ValidatedNetwork)
      : validateNetworkDescription(network);
  const { description, shapes } = validated;
  const layers = description.layers.map((layer, k) =>
    prepareLayer(layer, shapes[k] as number[], shapes[k + 1] as number[]),
  );
  return { description, shapes, sizes: shapes.map((s) => s.reduce((a, b) => a * b, 1)), layers };
}
