/**
 * Data-parallel gradients for `lipkit train --workers <n>`: each batch is split into n shards; n − 1 child
 * processes (`child_process.fork` of `dataParallelWorker.js`, each with its own tfjs backend, so its own core)
 * compute the gradients of theirs while this process computes the first, and the gradients are summed weighted by
 * shard size. The result plugs into `trainModel`'s `gradientsOf`, so the optimiser step, projections, logs and
 * checkpoints stay the one in-process implementation. Measured in the README (constrained-layers' "Using both
 * cores" found 1.37× for two processes under load).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type BatchGradientsFunction,
  batchGradients,
  type ImageBatch,
  type NamedParameter,
  type TrainableNetwork,
} from '@lipkit/constrained-layers';
import * as tf from '@tensorflow/tfjs-core';
import type { ConcreteBackend } from './backendSelection.js';
import { CliUsageError } from './cliErrors.js';
import type { TrainRunConfig } from './trainRunConfig.js';

/** A worker process failed (crashed, exited, or reported an error); the training run stops with it. */
export class DataParallelWorkerError extends Error {
  override name = 'DataParallelWorkerError';
  /**
   * @param worker 1-based index of the worker process (the parent process is worker 0)
   * @param message what happened
   */
  constructor(
    readonly worker: number,
    message: string,
  ) {
    super(`data-parallel worker ${worker}: ${message}`);
  }
}

/** Parent → worker messages. */
export type DataParallelRequest =
  | {
      kind: 'init';
      backend: ConcreteBackend;
      config: TrainRunConfig;
      inputShape: [number, number, number];
      numClasses: number;
    }
  | { kind: 'shard'; weights: Float32Array[]; images: Float32Array; labels: Int32Array };

/** Worker → parent messages. */
export type DataParallelReply =
  | { kind: 'ready'; variableNames: string[] }
  | { kind: 'gradients'; loss: number; negativeMargins: Float32Array; gradients: Float32Array[] }
  | { kind: 'error'; message: string };

/**
 * Parses `--workers`: an integer from 1 to the machine's CPU count (`os.cpus().length`).
 * @throws CliUsageError naming `--workers` with the allowed range.
 */
export function parseWorkers(value: string, cpuCount = cpus().length): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1 || n > cpuCount) {
    throw new CliUsageError('--workers', `'${value}' is not an integer from 1 to ${cpuCount}; allowed: 1..${cpuCount}`);
  }
  return n;
}

/** Sizes of `shards` near-equal shards of `n` samples, larger ones first (some are 0 when n < shards). */
export function shardSizes(n: number, shards: number): number[] {
  const base = Math.floor(n / shards);
  return Array.from({ length: shards }, (_, i) => base + (i < n % shards ? 1 : 0));
}

/** One forked worker: at most one request in flight; any exit or error fails it for good. */
class WorkerProcess {
  private readonly child: ChildProcess;
  private pending: { resolve(reply: DataParallelReply): void; reject(err: Error): void } | undefined;
  private failure: DataParallelWorkerError | undefined;
  private stderrTail = '';
  private closing = false;

  constructor(
    readonly index: number,
    script: string,
  ) {
    this.child = fork(script, [], {
      // a worker run from source (tests, benches) needs the TypeScript loader; the compiled CLI does not
      execArgv: script.endsWith('.ts') ? ['--import', 'tsx'] : [],
      serialization: 'advanced', // typed arrays cross as binary, not JSON
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-1500);
    });
    this.child.on('message', (m: DataParallelReply) => {
      if (m.kind === 'error') this.fail(m.message);
      else {
        const p = this.pending;
        this.pending = undefined;
        p?.resolve(m);
      }
    });
    this.child.on('error', (err) => this.fail(err.message));
    this.child.on('exit', (code, signal) => {
      const tail = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
      this.fail(`exited unexpectedly (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}`);
    });
  }

  private fail(message: string): void {
    if (this.closing || this.failure) return;
    this.failure = new DataParallelWorkerError(this.index, message);
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.failure);
  }

  /**
   * Sends `request`; `sent` resolves once the message is fully handed over (so the parent may then block on its
   * own shard without starving the pipe), `reply` with the answer.
   */
  request(request: DataParallelRequest): { sent: Promise<void>; reply: Promise<DataParallelReply> } {
    if (this.failure) return { sent: Promise.reject(this.failure), reply: Promise.reject(this.failure) };
    const reply = new Promise<DataParallelReply>((resolve, reject) => {
      this.pending = { resolve, reject };
    });
    const sent = new Promise<void>((resolve, reject) => {
      this.child.send(request, (err) => {
        if (err) {
          this.fail(`cannot send: ${err.message}`);
          reject(this.failure);
        } else resolve();
      });
    });
    return { sent, reply };
  }

  kill(): void {
    this.closing = true;
    this.child.kill();
  }
}

/** Options of {@link startDataParallelGradients}. */
export interface DataParallelOptions {
  /** Processes in total, this one included (≥ 2; `--workers`). */
  workers: number;
  /** Backend every worker activates (the one this process activated). */
  backend: ConcreteBackend;
  /** The run configuration: workers build the same architecture from it (their initial weights are replaced). */
  config: TrainRunConfig;
  inputShape: [number, number, number];
  numClasses: number;
  /** Worker entry script (default: `dataParallelWorker.js` next to this file; `.ts` runs under tsx). */
  workerScript?: string;
}

/** Running worker processes and the `gradientsOf` hook that uses them. */
export interface DataParallelGradients {
  /** `trainModel`'s `gradientsOf`: the batch's gradients, computed by this process and the workers. */
  gradientsOf: BatchGradientsFunction;
  /** Kills the worker processes (idempotent); also done when this process exits. */
  close(): void;
}

const defaultWorkerScript = (): string => {
  const here = fileURLToPath(import.meta.url);
  return here.replace(/dataParallelTraining\.(ts|js)$/, 'dataParallelWorker.$1');
};

/**
 * Starts `options.workers − 1` worker processes for `network` and waits until each has activated its backend and
 * built the network. The hook sends each worker the current trainable weights (all of them, every step: about
 * 0.6 MB for simpleConvnet6 at 64 channels, 1.3 MiB with a 64-image shard, about 1 ms to serialise and
 * deserialise, so deltas would not pay) and its shard of the batch; the loss and gradients are the
 * shard-size-weighted means of the shards' (so they equal the full batch's up to float32 summation order) and the
 * margins are concatenated in batch order.
 * @throws DataParallelWorkerError when a worker fails to start or its variables differ from `network`'s.
 */
export async function startDataParallelGradients(
  network: TrainableNetwork,
  options: DataParallelOptions,
): Promise<DataParallelGradients> {
  const script = options.workerScript ?? defaultWorkerScript();
  const pool = Array.from({ length: options.workers - 1 }, (_, i) => new WorkerProcess(i + 1, script));
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    process.off('exit', close);
    for (const w of pool) w.kill();
  };
  process.on('exit', close);
  try {
    const names = network.variables.filter((v) => v.trainable).map((v) => v.name);
    const init: DataParallelRequest = {
      kind: 'init',
      backend: options.backend,
      config: options.config,
      inputShape: options.inputShape,
      numClasses: options.numClasses,
    };
    const readies = await Promise.all(pool.map((w) => w.request(init).reply));
    readies.forEach((r, i) => {
      if (r.kind !== 'ready' || r.variableNames.join() !== names.join()) {
        throw new DataParallelWorkerError(i + 1, `built other variables than this process (${names.length} expected)`);
      }
    });
  } catch (err) {
    close();
    throw err;
  }

  const gradientsOf: BatchGradientsFunction = async (batch, variables) => {
    const n = batch.labels.length;
    const pixels = batch.images.length / n;
    const sizes = shardSizes(n, options.workers);
    const weights = variables.map((p) => p.variable.dataSync() as Float32Array);
    const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    const shardOf = (i: number): ImageBatch => ({
      images: batch.images.slice(starts[i]! * pixels, (starts[i]! + sizes[i]!) * pixels),
      labels: batch.labels.slice(starts[i]!, starts[i]! + sizes[i]!),
    });
    const requests = pool
      .filter((w) => sizes[w.index]! > 0)
      .map((w) => w.request({ kind: 'shard', weights, ...shardOf(w.index) }));
    const replies = Promise.all(requests.map((r) => r.reply));
    replies.catch(() => {}); // observed below; this only keeps an early failure from being "unhandled"
    await Promise.all(requests.map((r) => r.sent));
    const own = batchGradients(network, shardOf(0), variables);
    const ownGradients = own.gradients.map((g) => g.dataSync() as Float32Array);
    tf.dispose(own.gradients);
    const parts = [
      { n: sizes[0]!, loss: own.loss, negativeMargins: own.negativeMargins, gradients: ownGradients },
      ...(await replies).map((r, i) => {
        if (r.kind !== 'gradients') throw new DataParallelWorkerError(i + 1, `unexpected reply '${r.kind}'`);
        return { n: sizes[i + 1]!, ...r };
      }),
    ];
    return combineShards(parts, variables, n);
  };
  return { gradientsOf, close };
}

/** Shard-size-weighted means of the shards' losses and gradients (summed in float64), margins in batch order. */
function combineShards(
  parts: { n: number; loss: number; negativeMargins: Float32Array; gradients: Float32Array[] }[],
  variables: readonly NamedParameter[],
  n: number,
) {
  const negativeMargins = new Float32Array(n);
  let at = 0;
  let loss = 0;
  for (const p of parts) {
    negativeMargins.set(p.negativeMargins, at);
    at += p.n;
    loss += (p.n / n) * p.loss;
  }
  const gradients = variables.map((v, k) => {
    const sum = new Float64Array(v.variable.size);
    for (const p of parts) {
      const g = p.gradients[k]!;
      const w = p.n / n;
      for (let e = 0; e < sum.length; e++) sum[e] = sum[e]! + w * g[e]!;
    }
    return tf.tensor(Float32Array.from(sum), v.variable.shape, 'float32');
  });
  return { loss, negativeMargins, gradients };
}
