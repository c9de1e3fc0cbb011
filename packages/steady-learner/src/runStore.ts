/**
 * The on-disk cache of experiment runs (spec §8, port format): one folder per run, `config.json` + `metrics.json`
 * (per-epoch arrays) + raw little-endian typed-array files for the per-step series, and a `done.json` marker written
 * last, so an interrupted run is recomputed and a finished one is reloaded (replot without retraining). Every file is
 * written atomically (temp file, fsync, rename).
 */
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CosineProductData, RegressionSplit } from '@lipkit/datasets';
import type { BiasInputReluMlpParams } from './biasInputReluMlp.js';
import type { ClassifierRunResult } from './classifierTrajectoryRun.js';
import type { MlpRunResult } from './mlpTrajectoryRun.js';
import { SteadyLearnerError } from './steadyLearnerError.js';

/** Format version of the run folders. */
export const RUN_FORMAT_VERSION = 1;

/** Writes `data` to `path` atomically: a temp file beside it, fsync, then rename. Creates parent folders. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

type NumericArray = Float32Array | Float64Array;

function bytesOf(a: NumericArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

async function readTyped<T extends NumericArray>(path: string, ctor: { new (b: ArrayBuffer): T }): Promise<T> {
  const buf = await readFile(path);
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return new ctor(copy);
}

/** JSON with typed arrays as plain arrays and non-finite numbers as strings ("Infinity"), so nothing is lost. */
function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (
        v instanceof Float32Array ||
        v instanceof Float64Array ||
        v instanceof Int32Array ||
        v instanceof Uint8Array
      ) {
        return Array.from(v as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : String(x)));
      }
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      return v;
    },
    1,
  );
}

function f64(v: unknown): Float64Array {
  return Float64Array.from(v as ArrayLike<number | string>, Number);
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

/** Whether `dir` holds a finished run (its `done.json` marker exists). */
export async function isRunComplete(dir: string): Promise<boolean> {
  return (await stat(join(dir, 'done.json')).catch(() => undefined)) !== undefined;
}

function flattenParams(p: BiasInputReluMlpParams): Float64Array {
  const parts = [p.b1, ...p.weights.flatMap((w, i) => [w, p.biases[i] as Float64Array])];
  const out = new Float64Array(parts.reduce((a, x) => a + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

function unflattenParams(flat: Float64Array, widths: number[]): BiasInputReluMlpParams {
  let o = 0;
  const take = (n: number) => {
    const part = flat.slice(o, o + n);
    o += n;
    return part;
  };
  const b1 = take(widths[0] as number);
  const weights: Float64Array[] = [];
  const biases: Float64Array[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    weights.push(take((widths[l] as number) * (widths[l + 1] as number)));
    biases.push(take(widths[l + 1] as number));
  }
  return { b1, weights, biases };
}

/** Saves an MLP run (per-step series as `b1.f32`, `lr.f32`, `err.f32`, `lip.f32`; checkpoints as float64). */
export async function saveMlpRun(dir: string, run: MlpRunResult): Promise<void> {
  const E = run.config.epochs;
  await writeFileAtomic(
    join(dir, 'config.json'),
    toJson({ formatVersion: RUN_FORMAT_VERSION, kind: 'mlp', ...run.config }),
  );
  await writeFileAtomic(join(dir, 'metrics.json'), toJson(run.metrics));
  await writeFileAtomic(
    join(dir, 'steps.json'),
    toJson({
      epochs: E,
      stepsPerEpoch: run.stepsPerEpoch,
      dim: run.shape.inputDim,
      shape: run.shape,
      initialBias: run.initialBias,
      files: {
        'b1.f32': [E * run.stepsPerEpoch, run.shape.inputDim],
        'lr.f32': [E * run.stepsPerEpoch],
        'err.f32': [E * run.stepsPerEpoch],
        'lip.f32': [E * run.stepsPerEpoch],
      },
    }),
  );
  await writeFileAtomic(join(dir, 'b1.f32'), bytesOf(run.biases));
  await writeFileAtomic(join(dir, 'lr.f32'), bytesOf(run.learningRates));
  await writeFileAtomic(join(dir, 'err.f32'), bytesOf(run.errors));
  await writeFileAtomic(join(dir, 'lip.f32'), bytesOf(run.lipschitz));
  await writeFileAtomic(join(dir, 'data.json'), toJson(run.data));
  for (const c of run.checkpoints) {
    await writeFileAtomic(join(dir, 'weights', `epoch_${c.epoch}.f64`), bytesOf(flattenParams(c.params)));
  }
  await writeFileAtomic(join(dir, 'done.json'), toJson({ checkpoints: run.checkpoints.map((c) => c.epoch) }));
}

/** Loads a run saved by {@link saveMlpRun}. */
export async function loadMlpRun(dir: string): Promise<MlpRunResult> {
  if (!(await isRunComplete(dir))) throw new SteadyLearnerError('runDir', `${dir} holds no finished run`);
  const config = await readJson(join(dir, 'config.json'));
  const metrics = await readJson(join(dir, 'metrics.json'));
  const steps = await readJson(join(dir, 'steps.json'));
  const done = await readJson(join(dir, 'done.json'));
  const data = await readJson(join(dir, 'data.json'));
  const shape = steps.shape as MlpRunResult['shape'];
  const widths = [shape.inputDim, ...shape.hidden, 1];
  const split = (s: Record<string, unknown>): RegressionSplit => ({
    inputs: Float32Array.from(s.inputs as number[]),
    targets: Float32Array.from(s.targets as number[]),
    plane: f64(s.plane),
    count: s.count as number,
  });
  const checkpoints = [];
  for (const epoch of done.checkpoints as number[]) {
    const flat = await readTyped(join(dir, 'weights', `epoch_${epoch}.f64`), Float64Array);
    checkpoints.push({ epoch, params: unflattenParams(flat, widths) });
  }
  const { formatVersion: _v, kind: _k, ...cfg } = config;
  return {
    config: cfg as unknown as MlpRunResult['config'],
    shape,
    stepsPerEpoch: steps.stepsPerEpoch as number,
    initialBias: f64(steps.initialBias),
    biases: await readTyped(join(dir, 'b1.f32'), Float32Array),
    learningRates: await readTyped(join(dir, 'lr.f32'), Float32Array),
    errors: await readTyped(join(dir, 'err.f32'), Float32Array),
    lipschitz: await readTyped(join(dir, 'lip.f32'), Float32Array),
    metrics: Object.fromEntries(
      Object.entries(metrics).map(([k, v]) => [k, f64(v)]),
    ) as unknown as MlpRunResult['metrics'],
    checkpoints,
    data: {
      train: split(data.train as Record<string, unknown>),
      test: split(data.test as Record<string, unknown>),
      dimension: data.dimension as number,
      basis: f64(data.basis),
    } satisfies CosineProductData,
  };
}

const CLASSIFIER_STEP_FILES = ['distance', 'error', 'epsilon'] as const;

/** Saves a classifier run: per-epoch series in `metrics.json`, per-step series as `.f32` files. */
export async function saveClassifierRun(dir: string, run: ClassifierRunResult): Promise<void> {
  const { config, distance, error, epsilon, ...perEpoch } = run;
  await writeFileAtomic(
    join(dir, 'config.json'),
    toJson({ formatVersion: RUN_FORMAT_VERSION, kind: 'classifier', ...config }),
  );
  await writeFileAtomic(join(dir, 'metrics.json'), toJson(perEpoch));
  for (const name of CLASSIFIER_STEP_FILES) await writeFileAtomic(join(dir, `${name}.f32`), bytesOf(run[name]));
  await writeFileAtomic(join(dir, 'done.json'), toJson({ steps: distance.length }));
}

/** Loads a run saved by {@link saveClassifierRun}. */
export async function loadClassifierRun(dir: string): Promise<ClassifierRunResult> {
  if (!(await isRunComplete(dir))) throw new SteadyLearnerError('runDir', `${dir} holds no finished run`);
  const { formatVersion: _v, kind: _k, ...config } = await readJson(join(dir, 'config.json'));
  const m = await readJson(join(dir, 'metrics.json'));
  const series = (k: string) => f64(m[k]);
  return {
    config: config as unknown as ClassifierRunResult['config'],
    stepsPerEpoch: m.stepsPerEpoch as number,
    trainCount: m.trainCount as number,
    testCount: m.testCount as number,
    degenerateSteps: m.degenerateSteps as number,
    learningRate: series('learningRate'),
    trainLoss: series('trainLoss'),
    testLoss: series('testLoss'),
    avgErrorEpoch: series('avgErrorEpoch'),
    avgErrorCumulative: series('avgErrorCumulative'),
    avgTestErrorEpoch: series('avgTestErrorEpoch'),
    avgTestErrorCumulative: series('avgTestErrorCumulative'),
    trajectory: series('trajectory'),
    integral: series('integral'),
    variance: series('variance'),
    distance: await readTyped(join(dir, 'distance.f32'), Float32Array),
    error: await readTyped(join(dir, 'error.f32'), Float32Array),
    epsilon: await readTyped(join(dir, 'epsilon.f32'), Float32Array),
  };
}
