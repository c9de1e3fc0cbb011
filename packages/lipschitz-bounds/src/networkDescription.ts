/**
 * The framework-free network description lipkit's bounds read (`docs/network-format.md`): channels-first,
 * PyTorch/ONNX weight layouts, flatten in (C, H, W) order. Plain JSON, so any framework can export it.
 */

/** A dense float array with its shape, row-major (last index fastest). */
export interface TensorData {
  /** Dimensions, e.g. `[out, in]` for a dense weight, `[Cout, Cin, kh, kw]` for a conv weight. */
  shape: number[];
  /** Row-major values; length = product of `shape`. */
  data: number[] | Float64Array | Float32Array;
}

/** y = W x + b, W of shape [out, in]. */
export interface DenseLayer {
  type: 'dense';
  weight: TensorData;
  bias?: TensorData;
}

/** 2-D cross-correlation as PyTorch `Conv2d` (no dilation, no groups), input and output (C, H, W). */
export interface Conv2dLayer {
  type: 'conv2d';
  /** Shape [Cout, Cin, kh, kw]. */
  weight: TensorData;
  bias?: TensorData;
  /** Stride `[sh, sw]`. */
  stride: [number, number];
  /** Padding `[ph, pw]`: rows and columns added on each side. */
  padding: [number, number];
  /** `zeros` (PyTorch default) or `circular` (wrap-around). */
  paddingMode: 'zeros' | 'circular';
}

/** Element-wise max(x, 0). */
export interface ReluLayer {
  type: 'relu';
}

/** Max or average pooling over (H, W) windows, per channel; padding as PyTorch (max pads with −∞, avg with 0, counted). */
export interface Pool2dLayer {
  type: 'maxpool2d' | 'avgpool2d';
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
}

/** (C, H, W) → C·H·W in C, H, W order. */
export interface FlattenLayer {
  type: 'flatten';
}

/** Identity at evaluation time. */
export interface DropoutLayer {
  type: 'dropout';
}

/** Eval-mode batch normalisation folded to a per-channel affine map y = scale ⊙ x + shift. */
export interface BatchnormLayer {
  type: 'batchnorm';
  /** One value per channel (or per feature for a vector input). */
  scale: TensorData;
  shift: TensorData;
}

/** Residual connection: output = previous output + output of layer `from` (a layer index, −1 = the input). */
export interface AddLayer {
  type: 'add';
  from: number;
}

/** One layer of a {@link NetworkDescription}. */
export type LayerDescription =
  | DenseLayer
  | Conv2dLayer
  | ReluLayer
  | Pool2dLayer
  | FlattenLayer
  | DropoutLayer
  | BatchnormLayer
  | AddLayer;

/** A whole network: `{"format": "lipkit-network", "version": 1, "inputShape", "layers"}`. */
export interface NetworkDescription {
  format: 'lipkit-network';
  version: 1;
  /** `[C, H, W]` for images, `[n]` for vectors. */
  inputShape: number[];
  layers: LayerDescription[];
  /** Free text: where the network comes from. Ignored by the bounds. */
  note?: string;
}
