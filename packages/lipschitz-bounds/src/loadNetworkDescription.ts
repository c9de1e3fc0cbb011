/**
 * Node file loaders for network descriptions and input tensors (JSON, optionally gzip-compressed when the file name
 * ends in `.gz`). Browser users parse the JSON themselves and call {@link validateNetworkDescription}.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { LipschitzBoundsError, NetworkDescriptionError } from './lipschitzBoundsError.js';
import { networkFromOnnx } from './networkFromOnnx.js';
import { type ValidatedNetwork, validateNetworkDescription } from './validateNetworkDescription.js';

async function readJson(path: string, argument: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new LipschitzBoundsError(argument, `cannot read ${path}: ${(e as Error).message}`);
  }
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LipschitzBoundsError(argument, `${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Reads and validates a network description file (`docs/network-format.md`, `.json` or `.json.gz`), or converts an
 * ONNX model (`.onnx`, see {@link networkFromOnnx}).
 * @throws LipschitzBoundsError (argument `path`) when the file cannot be read or parsed
 * @throws NetworkDescriptionError naming the layer and field when the description is invalid
 * @throws ModelImportError naming the node when an ONNX model uses something unsupported
 */
export async function loadNetworkDescription(path: string): Promise<ValidatedNetwork> {
  if (path.toLowerCase().endsWith('.onnx')) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new LipschitzBoundsError('path', `cannot read ${path}: ${(e as Error).message}`);
    }
    return validateNetworkDescription(
      networkFromOnnx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    );
  }
  return validateNetworkDescription(await readJson(path, 'path'));
}

/** A float64 input tensor (channels-first), as stored in `{shape, data}` files such as `fixtures/tiny-x0.json`. */
export interface InputTensor {
  shape: number[];
  data: Float64Array;
}

/**
 * Parses an input tensor `{shape, data}`; a leading batch dimension of 1 is dropped.
 * @throws NetworkDescriptionError (field `input`) when shape and data disagree or a value is not finite
 */
export function parseInputTensor(value: unknown): InputTensor {
  const v = value as { shape?: unknown; data?: unknown };
  if (typeof v !== 'object' || v === null || !Array.isArray(v.shape) || !Array.isArray(v.data)) {
    throw new NetworkDescriptionError(-1, 'input', 'must be an object {shape: number[], data: number[]}');
  }
  let shape = v.shape as unknown[];
  if (!shape.every((s) => typeof s === 'number' && Number.isInteger(s) && s > 0)) {
    throw new NetworkDescriptionError(-1, 'input.shape', 'must hold positive integers');
  }
  if (shape.length > 1 && shape[0] === 1 && (shape.length === 4 || shape.length === 2)) shape = shape.slice(1);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  const data = v.data as unknown[];
  if (data.length !== size) {
    throw new NetworkDescriptionError(-1, 'input.data', `has ${data.length} values; shape needs ${size}`);
  }
  const out = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const x = data[k];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new NetworkDescriptionError(-1, 'input.data', `value ${k} is ${String(x)}; allowed: finite numbers`);
    }
    out[k] = x;
  }
  return { shape: shape as number[], data: out };
}

/** Reads an input tensor file `{shape, data}` (JSON or `.json.gz`). */
export async function loadInputTensor(path: string): Promise<InputTensor> {
  return parseInputTensor(await readJson(path, 'path'));
}
