/**
 * The lipkit checkpoint file (`checkpoint.lkc`), one self-describing file written atomically:
 *
 * | offset | size | content |
 * |---|---|---|
 * | 0 | 8 | ASCII magic `LIPKITCK` |
 * | 8 | 4 | u32 LE format version (1) |
 * | 12 | 4 | u32 LE byte length H of the header |
 * | 16 | H | UTF-8 JSON header ({@link CheckpointHeader}) |
 * | 16 + H | 0–7 | zero padding to a multiple of 8 |
 * | data | … | the tensors, little-endian float32/int32, each at `data + tensors[i].offset` |
 *
 * Tensor roles: `weight` (every network variable, trainable or not: kernels, biases, init-weight buffers, BN
 * statistics), `init` (the trainable weights as they were before the first optimiser step), `optimizer`
 * (optimiser state: momentum buffers, moments, step counter) and `epoch` (mid-epoch checkpoints only: the running
 * negative margins `trainMargins` of the epoch's samples so far, see {@link EpochProgress}).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from './atomicFile.js';
import { CheckpointError } from './trainingErrors.js';

const MAGIC = 'LIPKITCK';
/** Current checkpoint format version. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** File name of the checkpoint inside a run folder. */
export const CHECKPOINT_FILE_NAME = 'checkpoint.lkc';

/** What a stored tensor is. */
export type CheckpointTensorRole = 'weight' | 'init' | 'optimizer' | 'epoch';

/** One stored tensor's description in the header. */
export interface CheckpointTensorEntry {
  name: string;
  role: CheckpointTensorRole;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Byte offset from the start of the data section. */
  offset: number;
}

/**
 * Where a mid-epoch checkpoint (`trainModel`'s `checkpointEvery`) stopped inside epoch `CheckpointHeader.epoch`:
 * enough to continue the epoch exactly as an uninterrupted run would (same data order, same projection cadence,
 * same running train metrics).
 */
export interface EpochProgress {
  /** The epoch's shuffle seed (already drawn from the run generator, whose stored state is after the draw). */
  shuffleSeed: number;
  /** Batches of the epoch done (the resumed run skips this many batches of the same order). */
  batchIndex: number;
  /** Training samples of the epoch done. */
  seen: number;
  /** Running Σ loss·batch size of the epoch. */
  lossSum: number;
  /** Running count of correctly classified training samples of the epoch. */
  correct: number;
  /** Whether the last step was followed by a projection (decides the end-of-epoch projection). */
  projectedAfterLastStep: boolean;
  /** Seconds of training in the epoch so far (for the epoch's img/s). */
  trainSeconds: number;
}

/** The JSON header of a checkpoint. */
export interface CheckpointHeader {
  format: 'lipkit-checkpoint';
  version: number;
  /** Architecture id of the network (e.g. `simple_convnet6`); loading into another architecture is refused. */
  architecture: string;
  /** Input shape [height, width, channels] the network was built for (layers are sized by it). */
  inputShape: number[];
  numClasses: number;
  /** Number of completed epochs (the next epoch to run, or the one in progress with `epochProgress`; 0-based). */
  epoch: number;
  /** Present in a mid-epoch checkpoint only: the state inside epoch `epoch`. */
  epochProgress?: EpochProgress;
  /** Number of optimiser steps done. */
  step: number;
  /** Whether the run finished (final projection and evaluation done). */
  finished: boolean;
  /** State (4 × u32, sfc32) of the run's shuffle-seed generator after `epoch` epochs (and the current epoch's draw). */
  rngState: number[];
  /** The run's configuration (CLI flags, resolved), stored so `--resume` needs nothing else. */
  config: Record<string, unknown>;
  /** Everything logged so far (the `log.json` content), so a resumed run's log is complete. */
  log: unknown;
  /** ISO 8601 time of writing. */
  savedAt: string;
  tensors: CheckpointTensorEntry[];
}

/** A tensor to store. */
export interface CheckpointTensor {
  name: string;
  role: CheckpointTensorRole;
  tensor: tf.Tensor;
}

/**
 * Writes a checkpoint atomically (temp file, fsync, rename, fsync of the folder). The tensors are read with
 * `dataSync`; they are not disposed.
 */
export function saveCheckpoint(
  path: string,
  header: Omit<CheckpointHeader, 'format' | 'version' | 'tensors' | 'savedAt'>,
  tensors: readonly CheckpointTensor[],
): void {
  const entries: CheckpointTensorEntry[] = [];
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    if (t.tensor.dtype !== 'float32' && t.tensor.dtype !== 'int32') {
      throw new CheckpointError('checkpoint', `tensor ${t.name} has dtype ${t.tensor.dtype}; allowed: float32, int32`);
    }
    const data = t.tensor.dataSync() as Float32Array | Int32Array;
    const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    entries.push({ name: t.name, role: t.role, shape: [...t.tensor.shape], dtype: t.tensor.dtype, offset });
    blobs.push(bytes);
    offset += bytes.length;
  }
  const full: CheckpointHeader = {
    format: 'lipkit-checkpoint',
    version: CHECKPOINT_FORMAT_VERSION,
    ...header,
    savedAt: new Date().toISOString(),
    tensors: entries,
  };
  const json = new TextEncoder().encode(JSON.stringify(full));
  const prefix = new Uint8Array(16 + json.length + ((8 - ((16 + json.length) % 8)) % 8));
  prefix.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(prefix.buffer);
  view.setUint32(8, CHECKPOINT_FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  prefix.set(json, 16);
  writeFileAtomic(path, [prefix, ...blobs]);
}

/** A checkpoint read into memory. */
export interface LoadedCheckpoint {
  header: CheckpointHeader;
  /** The stored values of tensor `name` with `role`, or `undefined` if absent. */
  tensorData(name: string, role: CheckpointTensorRole): Float32Array | Int32Array | undefined;
}

/**
 * Reads and validates a checkpoint file. Errors (missing file, wrong magic or version, truncated data) are
 * {@link CheckpointError}s naming `argument` (default `--resume`).
 */
export function readCheckpoint(path: string, argument = '--resume'): LoadedCheckpoint {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    throw new CheckpointError(argument, `no checkpoint at ${path}; expected a run folder written by lipkit train`);
  }
  if (buf.length < 16 || buf.subarray(0, 8).toString('latin1') !== MAGIC) {
    throw new CheckpointError(argument, `${path} is not a lipkit checkpoint (bad magic)`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(argument, `${path}: format version ${version}; allowed: ${CHECKPOINT_FORMAT_VERSION}`);
  }
  const headerLength = view.getUint32(12, true);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.subarray(16, 16 + headerLength).toString('utf8')) as CheckpointHeader;
  } catch {
    throw new CheckpointError(argument, `${path}: corrupt header`);
  }
  const dataStart = 16 + headerLength + ((8 - ((16 + headerLength) % 8)) % 8);
  const byKey = new Map<string, Float32Array | Int32Array>();
  for (const e of header.tensors) {
    const count = e.shape.reduce((a, b) => a * b, 1);
    const start = dataStart + e.offset;
    if (start + 4 * count > buf.length) throw new CheckpointError(argument, `${path}: truncated at tensor ${e.name}`);
    const bytes = buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + 4 * count);
    byKey.set(`${e.role}\u0000${e.name}`, e.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes));
  }
  return { header, tensorData: (name, role) => byKey.get(`${role}\u0000${name}`) };
}

/**
 * Assigns stored tensors of `role` to variables by name. Every variable must be present with the same shape;
 * otherwise a {@link CheckpointError} names `argument` and nothing is assigned.
 */
export function assignCheckpointVariables(
  checkpoint: LoadedCheckpoint,
  role: CheckpointTensorRole,
  variables: readonly { name: string; variable: tf.Variable }[],
  argument = '--resume',
): void {
  const shapes = new Map(checkpoint.header.tensors.filter((e) => e.role === role).map((e) => [e.name, e.shape]));
  for (const v of variables) {
    const shape = shapes.get(v.name);
    if (shape === undefined) throw new CheckpointError(argument, `checkpoint has no ${role} tensor '${v.name}'`);
    if (shape.join('x') !== v.variable.shape.join('x')) {
      throw new CheckpointError(
        argument,
        `${role} tensor '${v.name}' has shape [${shape.join(', ')}] in the checkpoint but [${v.variable.shape.join(', ')}] in the network`,
      );
    }
  }
  for (const v of variables) {
    const data = checkpoint.tensorData(v.name, role)!;
    tf.tidy(() => v.variable.assign(tf.tensor(data, v.variable.shape, v.variable.dtype)));
  }
}
