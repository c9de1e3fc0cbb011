import * as tf from '@tensorflow/tfjs-core';
import type { circularConv2d } from './circularConv2d.js';
import type { circularPad2d } from './circularPad2d.js';
import { circularPad2dAdjointGradConfig, circularPad2dGradConfig } from './circularPad2dGradients.js';
import { wasmCircularPad2dAdjointConfig, wasmCircularPad2dConfig } from './wasmCircularPad2d.js';
import { wasmConv2dBackpropFilterConfig } from './wasmConv2dBackpropFilter.js';
import { wasmConv2dBackpropInputConfig } from './wasmConv2dBackpropInput.js';
import { withExplicitSamePadding } from './wasmConvExplicitSamePadding.js';
import { WasmKernelError } from './wasmKernelError.js';
import { wasmUnsortedSegmentSumConfig } from './wasmUnsortedSegmentSum.js';

/** One kernel lipkit installs: built from the kernel currently registered under its name (if any). */
interface KernelPatch {
  kernelName: string;
  make(current: tf.KernelConfig | undefined): tf.KernelConfig | undefined;
}

const replaceWith = (config: tf.KernelConfig): KernelPatch => ({ kernelName: config.kernelName, make: () => config });
const fixSamePadding = (kernelName: string, depthwise: boolean): KernelPatch => ({
  kernelName,
  make: (current) => (current == null ? undefined : withExplicitSamePadding(current, depthwise)),
});

/** The kernels {@link registerWasmTrainingKernels} installs, in order. */
const PATCHES: readonly KernelPatch[] = [
  replaceWith(wasmCircularPad2dConfig),
  replaceWith(wasmCircularPad2dAdjointConfig),
  replaceWith(wasmConv2dBackpropFilterConfig),
  replaceWith(wasmConv2dBackpropInputConfig),
  replaceWith(wasmUnsortedSegmentSumConfig),
  fixSamePadding('Conv2D', false),
  fixSamePadding('FusedConv2D', false),
  fixSamePadding('DepthwiseConv2dNative', true),
  fixSamePadding('FusedDepthwiseConv2D', true),
];

/** kernelFuncs installed by us: how a second call recognises its own registrations. */
const ours = new WeakSet<tf.KernelFunc>();
/** Shipped kernels we replaced or wrapped (by name), restored by {@link unregisterWasmTrainingKernels}. */
const originals = new Map<string, tf.KernelConfig>();

/** What one call of {@link registerWasmTrainingKernels} did. */
export interface WasmTrainingKernelsRegistration {
  /** Kernel names newly registered by this call (empty when they were already installed). */
  installed: string[];
  /** Of those, the names that replaced or wrapped a kernel shipped with tfjs-backend-wasm (kept for restoring). */
  replaced: string[];
}

/**
 * Registers lipkit's training kernels for the tfjs `wasm` backend (tfjs-backend-wasm 4.22):
 * - `LipkitCircularPad2D` and its adjoint (heap copies; used by {@link circularConv2d} and {@link circularPad2d});
 * - `Conv2DBackpropFilter` (missing, so no conv net trained on wasm): im2col patches × GEMM;
 * - `Conv2DBackpropInput` (the shipped one is a ~2.5 GFLOP/s loop): stride-phase forward convs on XNNPACK;
 * - `UnsortedSegmentSum` (missing, so `tf.gather` had no gradient);
 * - `Conv2D`, `FusedConv2D`, `DepthwiseConv2dNative`, `FusedDepthwiseConv2D` wrapped so that `pad: 'same'` is passed
 *   as explicit padding: the shipped kernels give wrong results (often zeros) for many 'same' shapes.
 *
 * Libraries never pick a backend; an application (e.g. the `lipkit` CLI) calls this when it uses wasm. It does not
 * change the active backend and may be called before or after `tf.setBackend('wasm')`. Idempotent: a second call
 * installs nothing and returns empty lists (never a duplicate registration). Replaced kernels are kept and restored
 * by {@link unregisterWasmTrainingKernels}.
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
  // Backend-independent gradients of lipkit's own pad kernels (registered once; tfjs warns on duplicates).
  for (const grad of [circularPad2dGradConfig, circularPad2dAdjointGradConfig]) {
    if (tf.getGradient(grad.kernelName) == null) tf.registerGradient(grad);
  }
  const installed: string[] = [];
  const replaced: string[] = [];
  for (const patch of PATCHES) {
    const current = tf.getKernel(patch.kernelName, 'wasm');
    if (current != null && ours.has(current.kernelFunc)) continue;
    const config = patch.make(current);
    if (config == null) continue;
    if (current != null) {
      originals.set(patch.kernelName, current);
      tf.unregisterKernel(patch.kernelName, 'wasm');
      replaced.push(patch.kernelName);
    }
    ours.add(config.kernelFunc);
    tf.registerKernel(config);
    installed.push(patch.kernelName);
  }
  return { installed, replaced };
}

/**
 * Undoes {@link registerWasmTrainingKernels}: unregisters lipkit's kernels and re-registers the shipped ones they
 * replaced (running their setup on an already initialised wasm backend, which skipped it while ours were
 * registered). A no-op when nothing is installed. Returns the kernel names removed.
 */
export function unregisterWasmTrainingKernels(): string[] {
  const removed: string[] = [];
  const backend = (tf.engine().registry as Record<string, tf.KernelBackend | undefined>).wasm;
  for (const patch of PATCHES) {
    const current = tf.getKernel(patch.kernelName, 'wasm');
    if (current == null || !ours.has(current.kernelFunc)) continue;
    tf.unregisterKernel(patch.kernelName, 'wasm');
    const original = originals.get(patch.kernelName);
    if (original != null) {
      tf.registerKernel(original);
      if (backend != null) original.setupFunc?.(backend);
      originals.delete(patch.kernelName);
    }
    removed.push(patch.kernelName);
  }
  return removed;
}
