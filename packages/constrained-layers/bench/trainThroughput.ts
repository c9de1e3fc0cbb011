/**
 * Training throughput of `trainModel` (img/s, projections included) and the live-tensor count across steps, on
 * synthetic 32×32×3 data with 10 classes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainableNetwork, TrainingData } from '../src/index.js';
import { trainModel } from '../src/index.js';

/** Random normalised images (seeded) in `batches` batches of `batchSize`. */
export function syntheticImageData(shape: [number, number, number], batchSize: number, batches: number): TrainingData {
  const [h, w, c] = shape;
  const size = h * w * c;
  const batch = (b: number) => {
    let s = (b + 1) * 2654435761;
    const images = new Float32Array(batchSize * size);
    for (let i = 0; i < images.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      images[i] = s / 2147483648 - 1;
    }
    return { images, labels: Int32Array.from({ length: batchSize }, (_, i) => (i * 7 + b) % 10) };
  };
  return {
    trainSize: batchSize * batches,
    testSize: batchSize,
    *trainBatches() {
      for (let b = 0; b < batches; b++) yield batch(b);
    },
    *testBatches() {
      yield batch(999);
    },
  };
}

/** One measured configuration. */
export interface ThroughputResult {
  label: string;
  imagesPerSecond: number;
  secondsPerStep: number;
  tensorsFirst: number;
  tensorsLast: number;
}

/**
 * Runs one epoch of `batches` steps (plus the test pass) and reports the epoch's training throughput. The first
 * epoch includes kernel warm-up; `warmupEpochs` extra epochs run first to exclude it.
 */
export async function measureThroughput(
  label: string,
  network: TrainableNetwork,
  {
    batchSize,
    batches,
    projectionFrequency,
    projectionIterations = 1,
    warmupEpochs = 1,
  }: {
    batchSize: number;
    batches: number;
    projectionFrequency: number;
    projectionIterations?: number;
    warmupEpochs?: number;
  },
): Promise<ThroughputResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lipkit-bench-'));
  const counts: number[] = [];
  try {
    const result = await trainModel({
      network,
      data: syntheticImageData([...network.inputShape], batchSize, batches),
      runDir: join(dir, 'run'),
      optimizer: 'sgd',
      schedule: { kind: 'constant', baseLr: 0.001 },
      epochs: warmupEpochs + 1,
      projectionIterations,
      projectionFrequency,
      finalProjectionIterations: 0,
      seed: 0,
      onProgress: () => counts.push(tf.memory().numTensors),
    });
    const last = result.epochs.at(-1)!;
    return {
      label,
      imagesPerSecond: last.imagesPerSecond,
      secondsPerStep: last.trainSeconds / batches,
      tensorsFirst: counts[0]!,
      tensorsLast: counts.at(-1)!,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
