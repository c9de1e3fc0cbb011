/**
 * EXPERIMENT (bench only): the threaded-SIMD build of tfjs-backend-wasm in Node. tfjs 4.22 hard-codes
 * WASM_HAS_MULTITHREAD_SUPPORT=false in Node (tfjs#3830) and, if forced, hands Emscripten a `blob:` URL for the
 * pthread worker script, which Node's worker_threads rejects (ERR_WORKER_PATH). Here the backend named 'wasm' is
 * re-registered with an init that writes the worker script and the main script to temp files and passes their
 * paths, so Emscripten's own Node pthread support (worker_threads) can start.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): unknown;
  tfjs?: Record<string, unknown>;
}

let wantedThreads = 2;

async function initThreaded(): Promise<EmscriptenModule> {
  const base = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd';
  const factory = require(`${base}.js`) as (config: object) => Promise<EmscriptenModule>;
  const { wasmWorkerContents } = require(`${base}.worker.js`) as { wasmWorkerContents: string };
  const wasmFile = join(dirname(require.resolve(`${base}.js`)), 'tfjs-backend-wasm-threaded-simd.wasm');
  const dir = mkdtempSync(join(tmpdir(), 'lipkit-wasm-threads-'));
  const workerPath = join(dir, 'worker.js');
  const mainPath = join(dir, 'main.js');
  // The package stores the script in a template literal whose \n escapes became real newlines; undo that as tfjs does.
  writeFileSync(workerPath, wasmWorkerContents.replace(/\n/g, '\\n'));
  writeFileSync(mainPath, `var WasmBackendModuleThreadedSimd = ${factory.toString()};`);
  // The C++ side sizes its pthreadpool as emscripten_num_logical_cores() / 2 (assumes 2 hyper-threads per core),
  // which the Node glue reads from os.cpus().length: 1 thread on this 2-core VM whatever setThreadsCount says.
  // Report 2 × the wanted thread count while the module initialises.
  const os = require('node:os') as { cpus: () => unknown[] };
  const realCpus = os.cpus;
  os.cpus = () => Array.from({ length: 2 * wantedThreads }, () => realCpus()[0]);
  let module: EmscriptenModule;
  try {
    module = await factory({
      locateFile: (path: string, prefix: string) =>
        path.endsWith('.worker.js') ? workerPath : path.endsWith('.wasm') ? wasmFile : prefix + path,
      mainScriptUrlOrBlob: mainPath,
    });
  } finally {
    os.cpus = realCpus;
  }
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/** Replaces the (not yet initialised) 'wasm' backend by the threaded-SIMD build with `threads` threads. */
export function useThreadedWasm(threads: number): void {
  setThreadsCount(threads);
  wantedThreads = threads;
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => new BackendWasm((await initThreaded()) as unknown as ConstructorParameters<typeof BackendWasm>[0]),
    2,
  );
}
