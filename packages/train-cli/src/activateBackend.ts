/** Backend activation as every CLI command does it: select, then print the choice once. */
import { registerWasmTrainingKernels } from '@lipkit/constrained-layers';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendSelection, selectBackend } from './backendSelection.js';
import type { GlobalOptions } from './globalOptions.js';

let announced = false;

/**
 * Selects the backend named by the global options and prints `backend: <name>` once per process on stderr
 * (not in JSON or quiet mode). On wasm, registers lipkit's training kernels (`registerWasmTrainingKernels`). Also
 * suppresses tfjs's "install tfjs-node" banner, which the selection replaces.
 */
export async function activateBackend(
  g: GlobalOptions,
  { announce = true }: { announce?: boolean } = {},
): Promise<BackendSelection> {
  // PROD silences tfjs's "install tfjs-node" banner. Not IS_TEST: that also turns on per-kernel leak checks, which
  // throw for custom-gradient ops (softmaxCrossEntropy) under a gradient tape and so break training.
  tf.env().set('PROD', true);
  const sel = await selectBackend(g.backend);
  if (sel.backend === 'wasm') registerWasmTrainingKernels(); // missing/slow training kernels; idempotent
  if (announce && !announced && g.mode === 'bar') {
    process.stderr.write(`backend: ${sel.backend}\n`);
    announced = true;
  }
  return sel;
}
