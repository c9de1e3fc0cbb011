/**
 * `lipkit train --workers 1` vs `--workers 2` on the wasm backend: simple_convnet6 with 64 channels, batch 128, on
 * synthetic 32×32×3 images (10 classes), SGD, projections off (`--n-proj 0`) so only the gradient path differs.
 * Each configuration runs in its own process (`--child <workers>`), 2 epochs of `STEPS` steps; the table reports the
 * second epoch's throughput (the first includes the wasm warm-up), the process wall time, CPU time of the parent
 * (workers' CPU is not in it) and the 1-minute load average around the run, because the machine may be shared.
 * Also the size and v8 (de)serialisation time of one step's message to a worker (weights + shard).
 * Run: `node --import tsx bench/trainWorkersBench.ts [steps]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { ImageDataset, ImageSplit } from '@lipkit/datasets';
import { defaultTrainDeps } from '../src/trainArchitectures.js';
import { runTraining } from '../src/trainCommand.js';
import { parseTrainFlags } from '../src/trainRunConfig.js';

const BATCH = 128;
const CHANNELS = 64;

function syntheticSplit(count: number, seed: number): ImageSplit {
  const pixels = new Uint8Array(count * 32 * 32 * 3);
  let s = seed;
  for (let i = 0; i < pixels.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    pixels[i] = s >>> 24;
  }
  return {
    pixels,
    labels: Int32Array.from({ length: count }, (_, i) => (i * 7) % 10),
    count,
    height: 32,
    width: 32,
    channels: 3,
  };
}

async function child(workers: number, steps: number): Promise<void> {
  const dataset: ImageDataset = {
    name: 'synthetic',
    classNames: Array.from({ length: 10 }, (_, i) => `${i}`),
    normalisation: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    train: syntheticSplit(BATCH * steps, 1),
    test: syntheticSplit(BATCH, 2),
  };
  const dir = mkdtempSync(join(tmpdir(), 'lipkit-workers-bench-'));
  const config = parseTrainFlags({
    arch: 'simple_convnet6',
    dataset: 'cifar10',
    lip: ['-1', '-1', '-1', '-1'],
    dist: ['-1', '-1', '-1', '-1'],
    nProj: '0',
    projFreq: '15',
    bs: String(BATCH),
    epochs: '2',
    lr: '0.001',
    wd: '0',
    momentum: '0.9',
    comment: '',
    limitTo: '-1',
    logdir: join(dir, 'run'),
    bn: false,
    rand: false,
    projMode: 'orthogonal',
    saveModel: false,
    optimizer: 'sgd',
    nChannels: String(CHANNELS),
    schedule: 'constant',
    milestones: ['60'],
    gamma: '0.2',
    seed: '0',
  });
  try {
    await runTraining(
      config,
      { backend: 'wasm', mode: 'json' },
      { ...defaultTrainDeps, loadDataset: async () => dataset },
      false,
      {
        workers,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function messageCost(): { megabytes: number; ms: number } {
  // simpleConvnet6 at 64 channels: 3→64 and 4× 64→64 3×3 convs and a 64→10 classifier (weights only)
  const sizes = [27 * CHANNELS, ...Array(4).fill(9 * CHANNELS * CHANNELS), CHANNELS * 10];
  const message = {
    kind: 'shard',
    weights: sizes.map((n) => new Float32Array(n)),
    images: new Float32Array((BATCH / 2) * 32 * 32 * 3),
    labels: new Int32Array(BATCH / 2),
  };
  const t0 = performance.now();
  const bytes = serialize(message);
  deserialize(bytes);
  return { megabytes: bytes.length / 2 ** 20, ms: performance.now() - t0 };
}

function main(): void {
  const steps = Number(process.argv[2] ?? 6);
  const self = fileURLToPath(import.meta.url);
  const m = messageCost();
  console.log(
    `one step's message to a worker: ${m.megabytes.toFixed(2)} MiB, serialise + deserialise ${m.ms.toFixed(1)} ms\n`,
  );
  console.log('| --workers | img/s (epoch 2) | s/step | process wall s | parent CPU s | load 1-min before → after |');
  console.log('|---|---|---|---|---|---|');
  for (const workers of [1, 2]) {
    const load0 = loadavg()[0]!;
    const t0 = performance.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', String(workers), String(steps)], {
      encoding: 'utf8',
    });
    const wall = (performance.now() - t0) / 1000;
    const epochs = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { event: string; imagesPerSecond?: number; cpuSeconds?: number })
      .filter((r) => r.event === 'epoch');
    const cpu = out.match(/^cpu (\S+)$/m)?.[1] ?? '?';
    const ips = epochs.at(-1)?.imagesPerSecond ?? Number.NaN;
    console.log(
      `| ${workers} | ${ips.toFixed(1)} | ${(BATCH / ips).toFixed(3)} | ${wall.toFixed(1)} | ${cpu} | ${load0.toFixed(2)} → ${loadavg()[0]!.toFixed(2)} |`,
    );
  }
}

if (process.argv[2] === '--child') {
  await child(Number(process.argv[3]), Number(process.argv[4]));
  const c = process.cpuUsage();
  process.stdout.write(`cpu ${((c.user + c.system) / 1e6).toFixed(1)}\n`);
} else main();
