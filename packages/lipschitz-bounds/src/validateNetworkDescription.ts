/**
 * Validation of a {@link NetworkDescription} read from JSON (or built by an adapter): every field is checked, shapes
 * are propagated layer by layer, and the first problem throws a {@link NetworkDescriptionError} naming the layer
 * index and the field.
 */
import { NetworkDescriptionError } from './lipschitzBoundsError.js';
import type { LayerDescription, NetworkDescription, TensorData } from './networkDescription.js';

/** A validated network and the shape of every activation: `shapes[0]` is the input, `shapes[k+1]` layer k's output. */
export interface ValidatedNetwork {
  description: NetworkDescription;
  shapes: number[][];
}

const LAYER_TYPES = ['dense', 'conv2d', 'relu', 'maxpool2d', 'avgpool2d', 'flatten', 'dropout', 'batchnorm', 'add'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function isNonNegativeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function checkPair(
  layer: Record<string, unknown>,
  i: number,
  field: string,
  ok: (v: unknown) => boolean,
  what: string,
): [number, number] {
  const v = layer[field];
  if (!Array.isArray(v) || v.length !== 2 || !ok(v[0]) || !ok(v[1])) {
    throw new NetworkDescriptionError(i, field, `must be a pair [h, w] of ${what}; got ${JSON.stringify(v)}`);
  }
  return [v[0] as number, v[1] as number];
}

function checkTensor(v: unknown, i: number, field: string, expectedShape: number[] | null): TensorData {
  if (!isRecord(v)) throw new NetworkDescriptionError(i, field, 'must be an object {shape, data}');
  const shape = v.shape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every(isPositiveInt)) {
    throw new NetworkDescriptionError(i, `${field}.shape`, `must be a non-empty array of positive integers`);
  }
  if (expectedShape && (shape.length !== expectedShape.length || shape.some((s, k) => s !== expectedShape[k]))) {
    throw new NetworkDescriptionError(
      i,
      `${field}.shape`,
      `is ${JSON.stringify(shape)}; expected ${JSON.stringify(expectedShape)}`,
    );
  }
  const data = v.data;
  const isArrayLike = Array.isArray(data) || data instanceof Float64Array || data instanceof Float32Array;
  if (!isArrayLike) throw new NetworkDescriptionError(i, `${field}.data`, 'must be an array of numbers');
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  const arr = data as ArrayLike<unknown>;
  if (arr.length !== size) {
    throw new NetworkDescriptionError(
      i,
      `${field}.data`,
      `has ${arr.length} values; shape ${JSON.stringify(shape)} needs ${size}`,
    );
  }
  for (let k = 0; k < arr.length; k++) {
    const x = arr[k];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new NetworkDescriptionError(i, `${field}.data`, `value ${k} is ${String(x)}; allowed: finite numbers`);
    }
  }
  return v as unknown as TensorData;
}

function requireImage(shape: number[], i: number, type: string): [number, number, number] {
  if (shape.length !== 3) {
    throw new NetworkDescriptionError(i, 'type', `${type} needs a (C, H, W) input; got shape ${JSON.stringify(shape)}`);
  }
  return shape as [number, number, number];
}

function pooledSize(n: number, k: number, s: number, p: number): number {
  return Math.floor((n + 2 * p - k) / s) + 1;
}

/** Checks one layer and returns its output shape. */
function checkLayer(raw: unknown, i: number, input: number[], shapes: number[][]): number[] {
  if (!isRecord(raw)) throw new NetworkDescriptionError(i, '', 'must be an object with a "type" field');
  const type = raw.type;
  if (typeof type !== 'string' || !LAYER_TYPES.includes(type)) {
    throw new NetworkDescriptionError(
      i,
      'type',
      `unsupported layer type ${JSON.stringify(type)}; allowed: ${LAYER_TYPES.join(', ')}`,
    );
  }
  switch (type) {
    case 'dense': {
      if (input.length !== 1) {
        throw new NetworkDescriptionError(
          i,
          'type',
          `dense needs a vector input; got shape ${JSON.stringify(input)} (add a flatten layer)`,
        );
      }
      const w = checkTensor(raw.weight, i, 'weight', null);
      if (w.shape.length !== 2 || w.shape[1] !== input[0]) {
        throw new NetworkDescriptionError(
          i,
          'weight.shape',
          `is ${JSON.stringify(w.shape)}; expected [out, ${input[0]}]`,
        );
      }
      if (raw.bias !== undefined) checkTensor(raw.bias, i, 'bias', [w.shape[0] as number]);
      return [w.shape[0] as number];
    }
    case 'conv2d': {
      const [c, h, wd] = requireImage(input, i, 'conv2d');
      const w = checkTensor(raw.weight, i, 'weight', null);
      if (w.shape.length !== 4 || w.shape[1] !== c) {
        throw new NetworkDescriptionError(
          i,
          'weight.shape',
          `is ${JSON.stringify(w.shape)}; expected [Cout, ${c}, kh, kw]`,
        );
      }
      const [cout, , kh, kw] = w.shape as [number, number, number, number];
      if (raw.bias !== undefined) checkTensor(raw.bias, i, 'bias', [cout]);
      const [sh, sw] = checkPair(raw, i, 'stride', isPositiveInt, 'positive integers');
      const [ph, pw] = checkPair(raw, i, 'padding', isNonNegativeInt, 'non-negative integers');
      const mode = raw.paddingMode;
      if (mode !== 'zeros' && mode !== 'circular') {
        throw new NetworkDescriptionError(i, 'paddingMode', `is ${JSON.stringify(mode)}; allowed: zeros, circular`);
      }
      if (mode === 'circular' && (ph > h || pw > wd || kh > h || kw > wd)) {
        throw new NetworkDescriptionError(
          i,
          'paddingMode',
          `circular padding needs padding and kernel no larger than the input (${h}×${wd})`,
        );
      }
      const ho = pooledSize(h, kh, sh, ph);
      const wo = pooledSize(wd, kw, sw, pw);
      if (ho < 1 || wo < 1) {
        throw new NetworkDescriptionError(i, 'weight.shape', `kernel ${kh}×${kw} does not fit the ${h}×${wd} input`);
      }
      return [cout, ho, wo];
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      const [c, h, wd] = requireImage(input, i, type);
      const [kh, kw] = checkPair(raw, i, 'kernel', isPositiveInt, 'positive integers');
      const [sh, sw] = checkPair(raw, i, 'stride', isPositiveInt, 'positive integers');
      const [ph, pw] = checkPair(raw, i, 'padding', isNonNegativeInt, 'non-negative integers');
      if (2 * ph > kh || 2 * pw > kw) {
        throw new NetworkDescriptionError(i, 'padding', `must be at most half the kernel (PyTorch's rule)`);
      }
      const ho = pooledSize(h, kh, sh, ph);
      const wo = pooledSize(wd, kw, sw, pw);
      if (ho < 1 || wo < 1) {
        throw new NetworkDescriptionError(i, 'kernel', `window ${kh}×${kw} does not fit the ${h}×${wd} input`);
      }
      return [c, ho, wo];
    }
    case 'flatten':
      return [input.reduce((a, b) => a * b, 1)];
    case 'relu':
    case 'dropout':
      return input;
    case 'batchnorm': {
      const channels = input[0] as number;
      checkTensor(raw.scale, i, 'scale', [channels]);
      checkTensor(raw.shift, i, 'shift', [channels]);
      return input;
    }
    case 'add': {
      const from = raw.from;
      if (typeof from !== 'number' || !Number.isInteger(from) || from < -1 || from >= i) {
        throw new NetworkDescriptionError(
          i,
          'from',
          `is ${JSON.stringify(from)}; allowed: an earlier layer index in [-1, ${i - 1}] (-1 = the input)`,
        );
      }
      const other = shapes[from + 1] as number[];
      if (other.length !== input.length || other.some((s, k) => s !== input[k])) {
        throw new NetworkDescriptionError(
          i,
          'from',
          `layer ${from} has output shape ${JSON.stringify(other)}, but the previous output is ${JSON.stringify(input)}`,
        );
      }
      return input;
    }
  }
  throw new NetworkDescriptionError(i, 'type', `unsupported layer type ${type}`);
}

/**
 * Validates a parsed network description (the JSON of `docs/network-format.md`) and infers every activation shape.
 * @throws NetworkDescriptionError naming the layer index and field of the first problem
 */
export function validateNetworkDescription(value: unknown): ValidatedNetwork {
  if (!isRecord(value)) throw new NetworkDescriptionError(-1, 'network', 'must be a JSON object');
  if (value.format !== 'lipkit-network') {
    throw new NetworkDescriptionError(-1, 'format', `is ${JSON.stringify(value.format)}; expected "lipkit-network"`);
  }
  if (value.version !== 1) {
    throw new NetworkDescriptionError(-1, 'version', `is ${JSON.stringify(value.version)}; supported: 1`);
  }
  const inputShape = value.inputShape;
  if (
    !Array.isArray(inputShape) ||
    (inputShape.length !== 1 && inputShape.length !== 3) ||
    !inputShape.every(isPositiveInt)
  ) {
    throw new NetworkDescriptionError(
      -1,
      'inputShape',
      `is ${JSON.stringify(inputShape)}; allowed: [C, H, W] or [n] with positive integers`,
    );
  }
  const layers = value.layers;
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new NetworkDescriptionError(-1, 'layers', 'must be a non-empty array');
  }
  if (value.note !== undefined && typeof value.note !== 'string') {
    throw new NetworkDescriptionError(-1, 'note', 'must be a string');
  }
  const shapes: number[][] = [inputShape as number[]];
  layers.forEach((layer: unknown, i: number) => {
    shapes.push(checkLayer(layer, i, shapes[i] as number[], shapes));
  });
  return { description: value as unknown as NetworkDescription, shapes };
}

/** The layer types a description may use (for error messages and the JSON Schema test). */
export const supportedLayerTypes: readonly LayerDescription['type'][] = LAYER_TYPES as LayerDescription['type'][];
