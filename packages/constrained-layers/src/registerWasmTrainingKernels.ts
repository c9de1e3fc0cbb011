import * as tf from '@tensorflow/tfjs-core';
import { wasmConv2dBackpropFilterConfig } from './wasmConv2dBackpropFilter.js';
import { wasmConv2dBackpropInputConfig } from './wasmConv2dBackpropInput.js';
import { WasmKernelError } from './wasmKernelError.js';
import { wasmUnsortedSegmentSumConfig } from './wasmUnsortedSegmentSum.js';

/** The kernels {@link registerWasmTrainingKernels} installs, in order. */
const TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  wasmConv2dBackpropFilterConfig,
  wasmConv2dBackpropInputConfig,
  wasmUnsortedSegmentSumConfig,
];

/** Shipped kernels we replaced (by name), restored by {@link unregisterWasmTrainingKernels}. */
const replacedOriginals = new Map<string, tf.KernelConfig>();

/** What one call of {@link registerWasmTrainingKernels} did. */
export interface WasmTrainingKernelsRegistration {
  /** Kernel names newly registered by this call (empty when they were already installed). */
  installed: string[];
  /** Of those, the names that replaced a kernel shipped with tfjs-backend-wasm (kept for restoring). */
  replaced: string[];
}

/**
 * Registers lipkit's training kernels for the tfjs `wasm` backend: `Conv2DBackpropFilter` (missing in tfjs-backend-wasm
 * 4.22, so no conv net trained on wasm), a fast `Conv2DBackpropInput` (replaces the shipped ~2.5 GFLOP/s loop; the
 * original is kept and restored by {@link unregisterWasmTrainingKernels}) and `UnsortedSegmentSum` (missing, so
 * `tf.gather` had no gradient). Libraries never pick a backend; an application (e.g. the `lipkit` CLI) calls this
 * when it uses wasm. It does not change the active backend and may be called before or after `tf.setBackend('wasm')`.
 *
 * Idempotent: a second call installs nothing and returns empty lists (never a duplicate registration).
 *
 * @param backendName must be `'wasm'` (default); anything else throws, since the kernels use wasm-heap internals.
 * @throws {WasmKernelError} `argument: 'backendName'` when `backendName` is not `'wasm'` or no `'wasm'` backend is
 * registered (import `@tensorflow/tfjs-backend-wasm` first).
 */
export function registerWasmTrainingKernels(backendName = 'wasm'): WasmTrainingKernelsRegistration {
  if (backendName !== 'wasm') {
    throw new WasmKernelError('backendName', `these kernels exist only for the 'wasm' backend, got '${backendName}'`);
  }
  if (tf.findBackendFactory('wasm') == null) {
    throw new WasmKernelError(
      'backendName',
      "no 'wasm' backend is registered; import '@tensorflow/tfjs-backend-wasm' before registering its kernels",
    );
  }
  const installed: string[] = [];
  const replaced: string[] = [];
  for (const config of TRAINING_KERNELS) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current != null) {
      replacedOriginals.set(config.kernelName, current);
      tf.unregisterKernel(config.kernelName, 'wasm');
      replaced.push(config.kernelName);
    }
    tf.registerKernel(config);
    installed.push(config.kernelName);
  }
  return { installed, replaced };
}

/**
 * Undoes {@link registerWasmTrainingKernels}: unregisters lipkit's kernels and re-registers the shipped ones they
 * replaced. A no-op when they are not installed. Returns the kernel names removed.
 */
export function unregisterWasmTrainingKernels(): string[] {
  const removed: string[] = [];
  for (const config of TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm')?.kernelFunc !== config.kernelFunc) continue;
    tf.unregisterKernel(config.kernelName, 'wasm');
    const original = replacedOriginals.get(config.kernelName);
    if (original != null) {
      tf.registerKernel(original);
      replacedOriginals.delete(config.kernelName);
    }
    removed.push(config.kernelName);
  }
  return removed;
}
