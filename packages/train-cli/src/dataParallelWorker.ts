/**
 * Entry script of a `lipkit train --workers <n>` worker process (forked by `dataParallelTraining.ts`; not part of
 * the public API). On `init` it activates the parent's backend (with lipkit's wasm training kernels) and builds the
 * run's architecture; on each `shard` it loads the parent's weights, computes the shard's loss, negative margins
 * and gradients with `batchGradients`, and sends them back. Any error is reported to the parent and ends the
 * process; so does the parent's exit (the IPC channel closes), so a worker never outlives its run.
 */
import { batchGradients, type NamedParameter } from '@lipkit/constrained-layers';
import * as tf from '@tensorflow/tfjs-core';
import { activateBackend } from './activateBackend.js';
import type { DataParallelReply, DataParallelRequest } from './dataParallelTraining.js';
import { type BuiltNetwork, buildArchitecture } from './trainArchitectures.js';

const reply = (m: DataParallelReply, then?: () => void) => process.send?.(m, undefined, undefined, then);

let network: BuiltNetwork | undefined;
let trainable: NamedParameter[] = [];

async function handle(m: DataParallelRequest): Promise<void> {
  if (m.kind === 'init') {
    await activateBackend({ backend: m.backend, mode: 'quiet' });
    network = buildArchitecture(m.config, m.inputShape, m.numClasses);
    trainable = network.variables.filter((v) => v.trainable);
    reply({ kind: 'ready', variableNames: trainable.map((v) => v.name) });
    return;
  }
  if (network === undefined) throw new Error('shard before init');
  const weights = m.weights;
  if (weights.length !== trainable.length)
    throw new Error(`got ${weights.length} weight arrays for ${trainable.length} variables`);
  tf.tidy(() => {
    trainable.forEach((p, i) => {
      p.variable.assign(tf.tensor(weights[i]!, p.variable.shape, 'float32'));
    });
  });
  const r = batchGradients(network, { images: m.images, labels: m.labels }, trainable);
  const gradients = r.gradients.map((g) => g.dataSync() as Float32Array);
  tf.dispose(r.gradients);
  reply({ kind: 'gradients', loss: r.loss, negativeMargins: r.negativeMargins, gradients });
}

process.on('disconnect', () => process.exit());
process.on('message', (m: DataParallelRequest) => {
  handle(m).catch((err: unknown) => {
    const e = err as Error;
    const message = `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`;
    reply({ kind: 'error', message }, () => process.exit(1));
  });
});
