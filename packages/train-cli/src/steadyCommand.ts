/**
 * `lipkit steady mlp | cnn | regions | mnist`: the steady-learner experiments (Loukas, Poiitis & Jegelka 2021;
 * spec steady-learner.md). Every flag of the original CLI (spec §2) maps to one here: `-f/--freq`, `-N/--N`,
 * `-e/--epochs`, `-b/--bs` (the original's `-bs`), `-l/--lr` (`-lr`), `-c/--corrupt`, `-d/--decay`, `-r/--repeats`;
 * `--cnn` is the `cnn` sub-command; `--load-data` is implicit (data derive from `--seed`, so a rerun regenerates the
 * same data); `--load-model` reloads finished runs from the run folder and fails instead of training. New: `--seed`
 * (all sub-seeds derive from it), `--width`, `--model`, `--formulas`, `--out`.
 *
 * Runs are cached under `<out>/<experiment>/<settings>/<condition>/<k>/` (typed arrays + JSON); rerunning the same
 * command reloads them and only redraws the figures (SVG + PNG) in `<out>/<experiment>/<settings>/figures/`.
 * Every figure folder also gets a `replot.json` (which runs, which figure options), so `lipkit steady plot <dir>`
 * redraws every figure under `<dir>` from the cached runs without retraining (and without the datasets).
 * `steady mlp --batch-sizes 16,32` adds the batch-size comparison of the original's `plot_batch_metrics`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { DatasetError, defaultDataDir, type ImageDataset, loadDataset } from '@lipkit/datasets';
import {
  airplaneVsDog,
  type BatchSizeFigureOptions,
  type BatchSizeSweep,
  batchSizeFigures,
  type ClassifierFigureOptions,
  type ClassifierRunConfig,
  classifierSweepFigures,
  loadClassifierRun,
  loadMlpRun,
  type MlpFigureOptions,
  type MlpRunConfig,
  mlpSweepFigures,
  mnistThreeVsSix,
  type RegionsExperimentOptions,
  regionFigures,
  runCachedSweep,
  runCorruptionSweep,
  runMlpFrequencySweep,
  runMnistComparison,
  runRegionsExperiment,
  type SteadyFigure,
  type SweepCondition,
  type SweepHooks,
  type SweepResult,
  type TrajectoryFormulas,
} from '@lipkit/steady-learner';
// tfjs-layers' node bundle registers every core op's gradient (tfjs-core's CJS bundle alone does not).
import '@tensorflow/tfjs-layers';
import type { Command } from 'commander';
import { activateBackend } from './activateBackend.js';
import { atomicWriteFile } from './atomicWriteFile.js';
import { CliUsageError } from './cliErrors.js';
import { type GlobalOptions, globalOptionsOf } from './globalOptions.js';
import { type ProgressTask, startProgress } from './progressReporter.js';
import { heatmapChart, type LineSeries, lineChart, violinChart } from './svgPlot.js';
import { writePlot } from './writePlot.js';

/** Loads a catalog dataset from the cache (injectable for tests with generated fixture data). */
export type SteadyDatasetLoader = (name: 'cifar10' | 'mnist', dataDir: string) => Promise<ImageDataset>;

const loadFromCache: SteadyDatasetLoader = async (name, dataDir) => {
  try {
    return await loadDataset(name, { dataDir, download: false });
  } catch (e) {
    if (e instanceof DatasetError && e.argument === 'download') {
      throw new CliUsageError(
        '--data-dir',
        `${name} is not in ${dataDir}; run \`lipkit datasets fetch ${name}\` first (or pass --data-dir)`,
      );
    }
    throw e;
  }
};

function parseNumberList(flag: string, text: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) {
    throw new CliUsageError(flag, `'${text}' is not a comma-separated list of numbers`);
  }
  return values;
}

function parseIntList(flag: string, text: string, min: number): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < min)) {
    throw new CliUsageError(flag, `'${text}'; allowed: comma-separated integers >= ${min}`);
  }
  return values;
}

function parseIntFlag(flag: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) throw new CliUsageError(flag, `'${text}'; allowed: an integer >= ${min}`);
  return v;
}

/** {@link parseIntFlag} for a flag without a default: `undefined` when it was not given. */
function parseOptionalIntFlag(flag: string, text: string | undefined, min: number): number | undefined {
  return text === undefined ? undefined : parseIntFlag(flag, text, min);
}

function parsePositive(flag: string, text: string): number {
  const v = Number(text);
  if (!(Number.isFinite(v) && v > 0)) throw new CliUsageError(flag, `'${text}'; allowed: a number > 0`);
  return v;
}

function parseFormulas(text: string): TrajectoryFormulas {
  if (text !== 'faithful' && text !== 'theory')
    throw new CliUsageError('--formulas', `'${text}'; allowed: faithful, theory`);
  return text;
}

/** Library argument names → CLI flags, so library errors name what the user typed. */
const FLAG_OF: Record<string, string> = {
  frequencies: '--freq',
  frequency: '--freq',
  trainSize: '--N',
  epochs: '--epochs',
  batchSize: '--bs',
  learningRate: '--lr',
  corruptions: '--corrupt',
  decay: '--decay',
  repeats: '--repeats',
  seed: '--seed',
  width: '--width',
  model: '--model',
  resolution: '--grid',
  rate: '--corrupt',
};

function asCliError(e: unknown): unknown {
  const a = (e as { argument?: unknown }).argument;
  if (typeof a === 'string' && FLAG_OF[a]) {
    return new CliUsageError(FLAG_OF[a] as string, (e as Error).message.slice(a.length + 2));
  }
  return e;
}

/** One progress bar per run, created when the run reports its first progress. */
function progressHooks(g: GlobalOptions, experiment: string): SweepHooks {
  let task: ProgressTask | undefined;
  let label = '';
  return {
    onRunStart: (l, k, cached) => {
      label = `${experiment} ${l} #${k}`;
      if (cached && g.mode === 'bar') process.stderr.write(`${label}: loaded from the run folder\n`);
      if (cached && g.mode === 'json') process.stdout.write(`${JSON.stringify({ event: 'cached', run: label })}\n`);
    },
    onProgress: (done, total) => {
      task ??= startProgress(g.mode, label, total, 'steps');
      task.update(done);
    },
    onRunDone: () => {
      task?.stop();
      task = undefined;
    },
  };
}

/**
 * Draws every figure into `dir` (SVG + PNG) and writes `figures.json` (the plot data) beside them. Line series with
 * a non-zero `std` (several repeats) get a shaded mean ± std band.
 */
async function drawFigures(dir: string, figures: Record<string, SteadyFigure>, title: string): Promise<string[]> {
  const written: string[] = [];
  for (const [name, fig] of Object.entries(figures)) {
    let svg: string;
    if (fig.kind === 'line') {
      const series: LineSeries[] = [];
      for (const s of fig.series) {
        // Mean ± std over repeats, shaded at alpha 0.3 (spec §7); a single repeat has std 0 and no band.
        const std = s.std;
        const band = std?.some((v) => v > 0)
          ? { lower: s.y.map((m, i) => m - (std[i] as number)), upper: s.y.map((m, i) => m + (std[i] as number)) }
          : undefined;
        series.push({ name: s.label, x: s.x, y: s.y, markers: false, band });
        if (s.smoothed)
          series.push({ name: `${s.label} (EMA 0.95)`, x: s.x, y: s.smoothed, dashed: true, markers: false });
      }
      if (series.length === 0) continue;
      svg = lineChart({
        title: `${title}: ${fig.yLabel}`,
        xLabel: fig.xLabel,
        yLabel: fig.yLabel,
        series,
        logY: fig.logY,
      });
    } else if (fig.kind === 'violin') {
      const groups = fig.groups.map((gr) => ({
        label: gr.label,
        values: fig.logY
          ? Float64Array.from(
              gr.values.filter((v) => v > 0),
              Math.log10,
            )
          : gr.values,
      }));
      const yLabel = fig.logY ? `log10 ${fig.yLabel}` : fig.yLabel;
      svg = violinChart({ title: `${title}: ${fig.yLabel}`, xLabel: fig.xLabel, yLabel, groups });
    } else {
      const G = fig.x.length;
      const rows = fig.y.length;
      const values = new Float64Array(G * rows);
      for (let iy = 0; iy < rows; iy++) {
        for (let ix = 0; ix < G; ix++) values[iy * G + ix] = fig.values[iy]?.[ix] ?? Number.NaN;
      }
      svg = heatmapChart({
        title: `${title}: ${fig.colorLabel}`,
        xLabel: fig.xLabel,
        yLabel: fig.yLabel,
        xRange: [fig.x[0] as number, fig.x[G - 1] as number],
        yRange: [fig.y[0] as number, fig.y[rows - 1] as number],
        columns: G,
        rows,
        values,
        points: fig.points,
      });
    }
    written.push(...(await writePlot(dir, name, svg)));
  }
  await atomicWriteFile(
    join(dir, 'figures.json'),
    JSON.stringify(figures, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)),
  );
  return written;
}

/** Summary fields printed in bar mode, when a row has them. */
const SUMMARY_FIELDS: [string, string][] = [
  ['trajectoryLate', 'trajectory(late, estimate)'],
  ['totalTrajectory', 'total'],
  ['medianVariance', 'variance(median)'],
  ['medianDistance', 'distance(median)'],
  ['finalTrainLoss', 'train loss'],
  ['finalTestLoss', 'test loss'],
];

function report(
  g: GlobalOptions,
  experiment: string,
  folder: string,
  figureDir: string,
  summary: unknown,
  files: string[],
): void {
  if (g.mode === 'json') {
    process.stdout.write(
      `${JSON.stringify({ event: 'result', experiment, folder, summary, figures: files.length })}\n`,
    );
    return;
  }
  process.stdout.write(`${experiment}: runs in ${folder}; ${files.length} figure files in ${figureDir}\n`);
  const rows = summary as Record<string, unknown>[] | Record<string, unknown>;
  if (Array.isArray(rows)) {
    for (const r of rows) {
      const fmt = (v: unknown) => (typeof v === 'number' ? v.toPrecision(4) : 'n/a');
      const fields = SUMMARY_FIELDS.filter(([k]) => k in r).map(([k, name]) => `${name}=${fmt(r[k])}`);
      process.stdout.write(`  ${String(r.label).padEnd(16)} ${fields.join(' ')}\n`);
    }
  } else {
    process.stdout.write(`  ${JSON.stringify(rows)}\n`);
  }
}

interface CommonFlags {
  epochs?: string;
  bs: string;
  lr?: string;
  repeats: string;
  seed: string;
  out: string;
  formulas: string;
  loadModel: boolean;
}

function common(command: Command): Command {
  return command
    .option('-e, --epochs <n>', 'epochs (original default 3000 for the MLP; the paper: 100 for the CNN)')
    .option('-b, --bs <n>', 'batch size (the original: -bs)', '1')
    .option('-l, --lr <rate>', 'SGD learning rate (the original: -lr)')
    .option('-r, --repeats <n>', 'independent runs per condition', '1')
    .option('--seed <n>', 'root seed; data, init, shuffle and corruption seeds derive from it', '0')
    .option('--out <dir>', 'run folder root (runs are cached there and reloaded)', 'runs/steady')
    .option('--formulas <kind>', 'trajectory formulas: faithful (the original, default) or theory', 'faithful')
    .option('--load-model', 'only reload finished runs from the run folder; fail instead of training', false);
}

/**
 * Settings-folder key of the MLP models: `mlp2` is followed by `w`, so that MLP2 of width 4 (`mlp2w4`) and MLP of
 * width 24 (`mlp24`) never share a cache folder.
 */
const MODEL_KEY = { mlp: 'mlp', mlp2: 'mlp2w' } as const;

function settingsFolder(parts: Record<string, string | number | undefined>): string {
  return Object.entries(parts)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}${v}`)
    .join('_');
}

/** With `loadOnly`, a run missing from the run folder throws a usage error naming `flag` instead of training. */
function loadOnlyHooks(hooks: SweepHooks, loadOnly: boolean, flag = '--load-model'): SweepHooks {
  if (!loadOnly) return hooks;
  return {
    ...hooks,
    onRunStart: (label, k, cached) => {
      if (!cached) throw new CliUsageError(flag, `no finished run for ${label} #${k} in the run folder`);
      hooks.onRunStart?.(label, k, cached);
    },
  };
}

/** The runs behind a figure folder: their folder (relative to the figure folder), repeats and conditions. */
interface StoredSweep<C> {
  folder: string;
  repeats: number;
  conditions: SweepCondition<C>[];
}

/**
 * What `lipkit steady plot` needs to redraw one figure folder from the cached runs; saved beside the figures as
 * `replot.json`.
 */
type ReplotRecipe =
  | { experiment: 'mlp'; sweep: StoredSweep<MlpRunConfig>; figureOptions: MlpFigureOptions }
  | { experiment: 'cnn' | 'mnist'; sweep: StoredSweep<ClassifierRunConfig>; figureOptions: ClassifierFigureOptions }
  | {
      experiment: 'mlp-batch';
      /** The comparison's own folder (it holds only figures). */
      folder: string;
      sweeps: (StoredSweep<MlpRunConfig> & { batchSize: number })[];
      figureOptions: BatchSizeFigureOptions;
    }
  | {
      experiment: 'regions';
      folder: string;
      options: Omit<RegionsExperimentOptions, 'runDir' | 'hooks' | 'onRegionProgress'>;
    };

const REPLOT_FILE = 'replot.json';
const REPLOT_FORMAT_VERSION = 1;
const TITLES: Record<ReplotRecipe['experiment'], string> = {
  mlp: 'MLP',
  'mlp-batch': 'MLP batch sizes',
  cnn: 'CNN',
  mnist: 'MNIST 3 vs 6',
  regions: 'Regions',
};

function storedSweep<C>(
  sweep: SweepResult<C, unknown>[],
  repeats: number,
  folder: string,
  figureDir: string,
): StoredSweep<C> {
  return { folder: relative(figureDir, folder), repeats, conditions: sweep.map((s) => s.condition) };
}

/** Reloads a stored sweep from its run folder; a missing run is a usage error (nothing is trained). */
function reloadSweep<C, R>(
  stored: StoredSweep<C>,
  figureDir: string,
  load: (dir: string) => Promise<R>,
  hooks: SweepHooks,
): Promise<SweepResult<C, R>[]> {
  const folder = resolve(figureDir, stored.folder);
  const train = (c: SweepCondition<C>, k: number): R => {
    throw new CliUsageError('runDir', `no finished run for ${c.label} #${k} in ${folder}`);
  };
  return runCachedSweep(stored.conditions, stored.repeats, { train, save: async () => {}, load }, folder, hooks);
}

function regionProgress(g: GlobalOptions): (done: number, total: number) => void {
  let task: ProgressTask | undefined;
  return (done, total) => {
    task ??= startProgress(g.mode, 'regions grid+LPs', total, 'items');
    task.update(done);
    if (done === total) {
      task.stop();
      task = undefined;
    }
  };
}

/** The figures of a figure folder, recomputed from its cached runs (regions: the map is recomputed, not trained). */
async function figuresFromRuns(
  recipe: ReplotRecipe,
  figureDir: string,
  g: GlobalOptions,
): Promise<{ figures: Record<string, SteadyFigure>; summary: unknown }> {
  const hooks = progressHooks(g, recipe.experiment);
  switch (recipe.experiment) {
    case 'mlp':
      return mlpSweepFigures(await reloadSweep(recipe.sweep, figureDir, loadMlpRun, hooks), recipe.figureOptions);
    case 'cnn':
    case 'mnist':
      return classifierSweepFigures(
        await reloadSweep(recipe.sweep, figureDir, loadClassifierRun, hooks),
        recipe.figureOptions,
      );
    case 'mlp-batch': {
      const sweeps: BatchSizeSweep[] = [];
      for (const s of recipe.sweeps) {
        sweeps.push({ batchSize: s.batchSize, sweep: await reloadSweep(s, figureDir, loadMlpRun, hooks) });
      }
      return batchSizeFigures(sweeps, recipe.figureOptions);
    }
    case 'regions':
      return regionFigures(
        await runRegionsExperiment({
          ...recipe.options,
          runDir: resolve(figureDir, recipe.folder),
          hooks: loadOnlyHooks(hooks, true, 'runDir'),
          onRegionProgress: regionProgress(g),
        }),
      );
  }
}

/** Draws the figures, saves the recipe that redraws them, and reports. */
async function finish(
  g: GlobalOptions,
  recipe: ReplotRecipe,
  runFolder: string,
  figureDir: string,
  { figures, summary }: { figures: Record<string, SteadyFigure>; summary: unknown },
): Promise<void> {
  const files = await drawFigures(figureDir, figures, TITLES[recipe.experiment]);
  await atomicWriteFile(
    join(figureDir, REPLOT_FILE),
    `${JSON.stringify({ formatVersion: REPLOT_FORMAT_VERSION, ...recipe }, null, 1)}\n`,
  );
  report(g, recipe.experiment, runFolder, figureDir, summary, files);
}

/** Every `replot.json` under `dir` (or `dir` itself when it is one), sorted. */
async function findReplotFiles(dir: string): Promise<string[]> {
  if (dir.endsWith(REPLOT_FILE)) return [dir];
  // A hand-written walk: Node 20's `readdir(…, { recursive: true })` misses entries in deep trees.
  const walk = async (d: string): Promise<string[]> => {
    const found: string[] = [];
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) found.push(...(await walk(join(d, e.name))));
      else if (e.name === REPLOT_FILE) found.push(join(d, e.name));
    }
    return found;
  };
  try {
    return await walk(dir);
  } catch {
    throw new CliUsageError('runDir', `cannot read ${dir}; allowed: a run folder written by lipkit steady`);
  }
}

async function readRecipe(path: string): Promise<ReplotRecipe> {
  let parsed: { formatVersion?: unknown; experiment?: unknown } & Record<string, unknown>;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CliUsageError('runDir', `${path} is not readable JSON (${(e as Error).message})`);
  }
  const { formatVersion, ...recipe } = parsed;
  if (
    formatVersion !== REPLOT_FORMAT_VERSION ||
    typeof recipe.experiment !== 'string' ||
    !(recipe.experiment in TITLES)
  ) {
    throw new CliUsageError(
      'runDir',
      `${path}: not a replot file of format ${REPLOT_FORMAT_VERSION}; allowed: files written by lipkit steady`,
    );
  }
  const isSweep = (v: unknown) =>
    typeof (v as StoredSweep<unknown>)?.folder === 'string' &&
    Number.isInteger((v as StoredSweep<unknown>).repeats) &&
    Array.isArray((v as StoredSweep<unknown>).conditions);
  const r = recipe as Record<string, unknown>;
  const complete =
    r.experiment === 'mlp-batch'
      ? typeof r.folder === 'string' && Array.isArray(r.sweeps) && r.sweeps.every(isSweep)
      : r.experiment === 'regions'
        ? typeof r.folder === 'string' && typeof r.options === 'object' && r.options !== null
        : isSweep(r.sweep);
  if (!complete) throw new CliUsageError('runDir', `${path}: incomplete ${String(r.experiment)} replot file`);
  return recipe as unknown as ReplotRecipe;
}

/** Registers `lipkit steady` and its sub-commands. `loader` replaces the dataset cache in tests. */
export function registerSteadyCommand(program: Command, loader: SteadyDatasetLoader = loadFromCache): void {
  const steady = program
    .command('steady')
    .description('steady-learner experiments: bias trajectory, variance, distance, activation regions (NeurIPS 2021)');

  common(steady.command('mlp').description('MLP frequency sweep on the 2-D cosine product in 10-D (spec §3)'))
    .option('-f, --freq <list>', 'frequencies, comma-separated', '0.25,0.5,0.75,1.0')
    .option('-N, --N <n>', 'training points (test set: ⌊0.3·N⌋)', '100')
    .option('--width <n>', 'hidden width', '32')
    .option('--model <name>', 'mlp (3 hidden layers) or mlp2 (1 hidden layer)', 'mlp')
    .option(
      '--averaging <kind>',
      'per-run (default) or across-repeats (the original: averages b1 before differencing)',
      'per-run',
    )
    .option(
      '--lipschitz-at <when>',
      'post-update (the original) or pre-update (free; equals the theory step)',
      'post-update',
    )
    .option(
      '--batch-sizes <list>',
      'also compare batch sizes (the original plot_batch_metrics: 16,32): one sweep per size (overrides --bs), ' +
        'plus losses in epoch blocks and the per-step trajectory per (f, bs)',
    )
    .action(
      async (
        opts: CommonFlags & {
          freq: string;
          N: string;
          width: string;
          model: string;
          averaging: string;
          lipschitzAt: string;
          batchSizes?: string;
        },
        command: Command,
      ) => {
        const g = globalOptionsOf(command);
        try {
          if (opts.averaging !== 'per-run' && opts.averaging !== 'across-repeats') {
            throw new CliUsageError('--averaging', `'${opts.averaging}'; allowed: per-run, across-repeats`);
          }
          if (opts.model !== 'mlp' && opts.model !== 'mlp2')
            throw new CliUsageError('--model', `'${opts.model}'; allowed: mlp, mlp2`);
          const formulas = parseFormulas(opts.formulas);
          if (opts.lipschitzAt !== 'post-update' && opts.lipschitzAt !== 'pre-update') {
            throw new CliUsageError('--lipschitz-at', `'${opts.lipschitzAt}'; allowed: post-update, pre-update`);
          }
          const lipschitzAt = opts.lipschitzAt === 'pre-update' ? 'preUpdate' : 'postUpdate';
          const cfg = {
            lipschitzAt,
            frequencies: parseNumberList('--freq', opts.freq),
            trainSize: parseIntFlag('--N', opts.N, 2),
            epochs: parseIntFlag('--epochs', opts.epochs ?? '3000', 1),
            batchSize: parseIntFlag('--bs', opts.bs, 1),
            learningRate: parsePositive('--lr', opts.lr ?? '0.001'),
            width: parseIntFlag('--width', opts.width, 1),
            model: opts.model,
            repeats: parseIntFlag('--repeats', opts.repeats, 1),
            seed: parseIntFlag('--seed', opts.seed, 0),
          } as const;
          const batchSizes =
            opts.batchSizes === undefined ? [cfg.batchSize] : parseIntList('--batch-sizes', opts.batchSizes, 1);
          const folderOf = (bs: number | string) =>
            join(
              opts.out,
              'mlp',
              settingsFolder({
                N: cfg.trainSize,
                e: cfg.epochs,
                bs,
                lr: cfg.learningRate,
                [MODEL_KEY[cfg.model]]: cfg.width,
                seed: cfg.seed,
                lip: lipschitzAt === 'preUpdate' ? 'pre' : undefined,
              }),
            );
          const figureOptions: MlpFigureOptions = {
            formulas,
            averaging: opts.averaging === 'per-run' ? 'perRun' : 'acrossRepeats',
          };
          const sweeps: (BatchSizeSweep & { folder: string })[] = [];
          for (const batchSize of batchSizes) {
            const folder = folderOf(batchSize);
            const sweep = await runMlpFrequencySweep({
              ...cfg,
              batchSize,
              runDir: folder,
              hooks: loadOnlyHooks(
                progressHooks(g, opts.batchSizes === undefined ? 'mlp' : `mlp bs=${batchSize}`),
                opts.loadModel,
              ),
            });
            const figureDir = join(folder, 'figures', formulas);
            const recipe: ReplotRecipe = {
              experiment: 'mlp',
              sweep: storedSweep(sweep, cfg.repeats, folder, figureDir),
              figureOptions,
            };
            await finish(g, recipe, folder, figureDir, mlpSweepFigures(sweep, figureOptions));
            sweeps.push({ batchSize, sweep, folder });
          }
          if (opts.batchSizes !== undefined) {
            const folder = folderOf(batchSizes.join('+'));
            const figureDir = join(folder, 'figures', formulas);
            const recipe: ReplotRecipe = {
              experiment: 'mlp-batch',
              folder: relative(figureDir, folder),
              sweeps: sweeps.map((s) => ({
                batchSize: s.batchSize,
                ...storedSweep(s.sweep, cfg.repeats, s.folder, figureDir),
              })),
              figureOptions: { formulas },
            };
            await finish(g, recipe, folder, figureDir, batchSizeFigures(sweeps, { formulas }));
          }
        } catch (e) {
          throw asCliError(e);
        }
      },
    );

  common(steady.command('cnn').description('CIFAR-10 airplane vs dog CNN, label-corruption sweep (spec §6)'))
    .option('-c, --corrupt <list>', 'corruption probabilities in [0, 1], comma-separated', '0,0.2,0.4,0.6')
    .option('-d, --decay <n>', 'epochs per decade of learning-rate decay', '50')
    .option('--train-per-class <n>', 'use only the first n training images per class (quick runs)')
    .option('--test-per-class <n>', 'evaluate on only the first n test images per class (default: all 1,000)')
    .option('--data-dir <dir>', 'dataset cache folder', defaultDataDir())
    .action(
      async (
        opts: CommonFlags & {
          corrupt: string;
          decay: string;
          trainPerClass?: string;
          testPerClass?: string;
          dataDir: string;
        },
        command: Command,
      ) => {
        const g = globalOptionsOf(command);
        try {
          const formulas = parseFormulas(opts.formulas);
          const cfg = {
            corruptions: parseNumberList('--corrupt', opts.corrupt),
            epochs: parseIntFlag('--epochs', opts.epochs ?? '100', 1),
            batchSize: parseIntFlag('--bs', opts.bs, 1),
            learningRate: parsePositive('--lr', opts.lr ?? '0.0025'),
            decay: parseIntFlag('--decay', opts.decay, 1),
            repeats: parseIntFlag('--repeats', opts.repeats, 1),
            seed: parseIntFlag('--seed', opts.seed, 0),
            formulas,
          };
          for (const p of cfg.corruptions) {
            if (!(p >= 0 && p <= 1)) throw new CliUsageError('--corrupt', `${p}; allowed: numbers in [0, 1]`);
          }
          const trainPerClass = parseOptionalIntFlag('--train-per-class', opts.trainPerClass, 1);
          const testPerClass = parseOptionalIntFlag('--test-per-class', opts.testPerClass, 1);
          await activateBackend(g);
          const data = airplaneVsDog(await loader('cifar10', opts.dataDir), { trainPerClass, testPerClass });
          const folder = join(
            opts.out,
            'cnn',
            settingsFolder({
              e: cfg.epochs,
              bs: cfg.batchSize,
              lr: cfg.learningRate,
              decay: cfg.decay,
              n: trainPerClass,
              nt: testPerClass,
              seed: cfg.seed,
              f: formulas,
            }),
          );
          const sweep = await runCorruptionSweep(data, {
            ...cfg,
            runDir: folder,
            hooks: loadOnlyHooks(progressHooks(g, 'cnn'), opts.loadModel),
          });
          const figureDir = join(folder, 'figures');
          const recipe: ReplotRecipe = {
            experiment: 'cnn',
            sweep: storedSweep(sweep, cfg.repeats, folder, figureDir),
            figureOptions: {},
          };
          await finish(g, recipe, folder, figureDir, classifierSweepFigures(sweep));
        } catch (e) {
          throw asCliError(e);
        }
      },
    );

  common(steady.command('mnist').description('MNIST 3 vs 6: MLP_MNIST vs CNN_MNIST (spec §6.5)'))
    .option('--models <list>', 'models to compare', 'mnist-mlp,mnist-cnn')
    .option('--data-dir <dir>', 'dataset cache folder', defaultDataDir())
    .action(async (opts: CommonFlags & { models: string; dataDir: string }, command: Command) => {
      const g = globalOptionsOf(command);
      try {
        const formulas = parseFormulas(opts.formulas);
        const models = opts.models.split(',').map((s) => s.trim());
        for (const m of models) {
          if (m !== 'mnist-mlp' && m !== 'mnist-cnn')
            throw new CliUsageError('--models', `'${m}'; allowed: mnist-mlp, mnist-cnn`);
        }
        const cfg = {
          models: models as ('mnist-mlp' | 'mnist-cnn')[],
          epochs: parseIntFlag('--epochs', opts.epochs ?? '100', 1),
          batchSize: parseIntFlag('--bs', opts.bs, 1),
          learningRate: parsePositive('--lr', opts.lr ?? '0.002'),
          repeats: parseIntFlag('--repeats', opts.repeats, 1),
          seed: parseIntFlag('--seed', opts.seed, 0),
          formulas,
        };
        await activateBackend(g);
        const data = mnistThreeVsSix(await loader('mnist', opts.dataDir));
        const folder = join(
          opts.out,
          'mnist',
          settingsFolder({ e: cfg.epochs, bs: cfg.batchSize, lr: cfg.learningRate, seed: cfg.seed, f: formulas }),
        );
        const sweep = await runMnistComparison(data, {
          ...cfg,
          runDir: folder,
          hooks: loadOnlyHooks(progressHooks(g, 'mnist'), opts.loadModel),
        });
        const figureDir = join(folder, 'figures');
        const figureOptions: ClassifierFigureOptions = { conditionName: 'Model' };
        const recipe: ReplotRecipe = {
          experiment: 'mnist',
          sweep: storedSweep(sweep, cfg.repeats, folder, figureDir),
          figureOptions,
        };
        await finish(g, recipe, folder, figureDir, classifierSweepFigures(sweep, figureOptions));
      } catch (e) {
        throw asCliError(e);
      }
    });

  common(steady.command('regions').description('activation regions of MLP2 and the Theorem-2 LP bound (spec §5)'))
    .option('-f, --freq <f>', 'frequency', '0.5')
    .option('-N, --N <n>', 'training points', '200')
    .option('--width <n>', 'hidden width', '32')
    .option('--grid <n>', 'grid points per axis', '200')
    .option('--no-lp', 'skip the Theorem-2 LPs')
    .action(
      async (
        opts: CommonFlags & { freq: string; N: string; width: string; grid: string; lp: boolean },
        command: Command,
      ) => {
        const g = globalOptionsOf(command);
        try {
          const cfg = {
            frequency: parsePositive('--freq', opts.freq),
            trainSize: parseIntFlag('--N', opts.N, 2),
            epochs: parseIntFlag('--epochs', opts.epochs ?? '1000', 1),
            batchSize: parseIntFlag('--bs', opts.bs, 1),
            learningRate: parsePositive('--lr', opts.lr ?? '0.001'),
            width: parseIntFlag('--width', opts.width, 1),
            resolution: parseIntFlag('--grid', opts.grid, 2),
            seed: parseIntFlag('--seed', opts.seed, 0),
          };
          const folder = join(
            opts.out,
            'regions',
            settingsFolder({
              N: cfg.trainSize,
              e: cfg.epochs,
              bs: cfg.batchSize,
              lr: cfg.learningRate,
              [MODEL_KEY.mlp2]: cfg.width,
              seed: cfg.seed,
            }),
          );
          const result = await runRegionsExperiment({
            ...cfg,
            solveLps: opts.lp,
            runDir: folder,
            hooks: loadOnlyHooks(progressHooks(g, 'regions'), opts.loadModel),
            onRegionProgress: regionProgress(g),
          });
          const figureDir = join(folder, 'figures', `grid${cfg.resolution}`);
          const recipe: ReplotRecipe = {
            experiment: 'regions',
            folder: relative(figureDir, folder),
            options: { ...cfg, solveLps: opts.lp },
          };
          await finish(g, recipe, folder, figureDir, regionFigures(result));
        } catch (e) {
          throw asCliError(e);
        }
      },
    );

  steady
    .command('plot <runDir>')
    .description(
      'redraw every figure under a run folder from its cached runs (each replot.json), without training or datasets',
    )
    .action(async (runDir: string, _opts: unknown, command: Command) => {
      const g = globalOptionsOf(command);
      const paths = await findReplotFiles(runDir);
      if (paths.length === 0) {
        throw new CliUsageError(
          'runDir',
          `no ${REPLOT_FILE} under ${runDir}; allowed: a folder written by lipkit steady mlp|cnn|mnist|regions`,
        );
      }
      for (const path of paths) {
        const recipe = await readRecipe(path);
        const figureDir = dirname(path);
        // `join` keeps the form the user gave (relative or absolute) while resolving the recipe's `..` segments.
        const runFolder = join(figureDir, 'folder' in recipe ? recipe.folder : recipe.sweep.folder);
        await finish(g, recipe, runFolder, figureDir, await figuresFromRuns(recipe, figureDir, g));
      }
    });
}
