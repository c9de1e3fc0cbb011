/**
 * The report folder of `lipkit quickstart`: `report.json` (every number labelled upper bound / lower bound /
 * estimate), SVG+PNG plots, `report.md` linking them and the run folder (TensorBoard logs, checkpoint), and the
 * summary table printed at the end.
 */
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { atomicWriteFile } from './atomicWriteFile.js';
import type { BoundKind, ImageBounds, LabelledValue } from './quickstartBounds.js';
import { barChart, type LineSeries, lineChart } from './svgPlot.js';
import { writePlot } from './writePlot.js';

/** One constrained layer against its constraints, after the final projection. */
export interface LayerReport {
  layer: string;
  /** Exact σ of the layer's operator from the float32 weights, computed in float64 (rounding-level estimate). */
  lipschitz: LabelledValue;
  lipschitzLimit: number | null;
  /** (2,1) group-norm distance to the init, float64. */
  distance: LabelledValue;
  distanceLimit: number | null;
  /** Both constraints hold (value ≤ limit·(1 + 1e−6)). */
  satisfied: boolean;
}

/** Everything `report.json` holds. */
export interface QuickstartReport {
  command: string;
  createdAt: string;
  backend: string;
  config: {
    epochs: number;
    trainSize: number;
    testSize: number;
    images: number;
    seed: number;
    batchSize: number;
    channels: number;
    learningRate: number;
    projectionFrequency: number;
    inputShape: [number, number, number];
    lipCond: (number | null)[];
    distCond: (number | null)[];
  };
  training: {
    runDir: string;
    steps: number;
    /** Per-step batch loss (under the pre-update weights) and per-epoch metrics. */
    stepLoss: { step: number; loss: number }[];
    epochs: {
      epoch: number;
      trainLoss: number;
      trainAccuracy: number;
      testLoss: number;
      testAccuracy: number;
      step: number;
    }[];
    /** Clean evaluation after the final projection. */
    final: { trainAccuracy: number; testAccuracy: number; trainLoss: number; testLoss: number };
    /** Per-layer lip/dist logged after each epoch (step 0 = init), for the plots. */
    norms: {
      lip: Record<string, { steps: number[]; values: number[] }>;
      dist: Record<string, { steps: number[]; values: number[] }>;
    };
  };
  biasTrajectory: {
    description: string;
    kind: BoundKind;
    /** Global step of each entry. */
    steps: number[];
    /** ‖b1(step) − b1(first step)‖. */
    distanceFromFirstStep: number[];
    /** ‖b1(step) − b1(step − 1)‖ / η: the batch-mean input-gradient norm times the optimiser's scaling. */
    normalisedStep: number[];
    /** Per epoch: trajectory length per step and within-epoch variance / η² (steady-learner Corollary 1). */
    epochs: { epoch: number; trajectory: number; variance: number }[];
  };
  layers: LayerReport[];
  capacity: {
    n: number;
    /** γ: median of the positive training margins (the original's minimum margin is ≤ 0 here). */
    margin: LabelledValue;
    /** Training ramp loss at γ: the empirical term the Rademacher bounds add to. */
    trainRampLoss: LabelledValue;
    /** The 12 Rademacher bounds of Graf et al. 2022 §10: upper bounds on the ramp-loss generalisation gap. */
    rademacher: Record<string, LabelledValue>;
  };
  bounds: {
    mode: 'certified';
    /** Note on what the bounds are of. */
    note: string;
    global: LabelledValue;
    images: ImageBounds[];
  };
  timing: { wallSeconds: number; cpuSeconds: number; stages: Record<string, number> };
}

const PLOTS = {
  training: 'training-curves',
  layers: 'layers-vs-constraints',
  bounds: 'lipschitz-vs-eps',
  bias: 'bias-trajectory',
} as const;

function trainingChart(r: QuickstartReport): string {
  const t = r.training;
  const series: LineSeries[] = [
    { name: 'train loss per step (batch)', x: t.stepLoss.map((s) => s.step), y: t.stepLoss.map((s) => s.loss) },
    {
      name: 'train loss per epoch (running)',
      x: t.epochs.map((e) => e.step),
      y: t.epochs.map((e) => e.trainLoss),
      markers: true,
    },
    { name: 'test loss per epoch', x: t.epochs.map((e) => e.step), y: t.epochs.map((e) => e.testLoss), markers: true },
    {
      name: 'test error per epoch',
      x: t.epochs.map((e) => e.step),
      y: t.epochs.map((e) => 1 - e.testAccuracy),
      markers: true,
      dashed: true,
    },
  ];
  return lineChart({
    title: `Training (final test accuracy ${(100 * t.final.testAccuracy).toFixed(1)}%)`,
    xLabel: 'optimiser step',
    yLabel: 'cross-entropy loss / test error',
    series,
    // y from 0, so the losses (≈ 1–2.3) leave the lower left free for the legend
    referenceLines: [{ y: 0, label: '' }],
    legendAt: 'bottom-left',
  });
}

function layersChart(r: QuickstartReport): string {
  // One bar per layer and quantity, as a fraction of its limit: ≤ 1 means the constraint holds.
  const bars = r.layers.flatMap((l) => [
    ...(l.lipschitzLimit === null
      ? []
      : [
          {
            label: `${l.layer} lip`,
            value: l.lipschitz.value / l.lipschitzLimit,
            color: '#0072B2',
            note: `${l.lipschitz.value.toPrecision(3)} / ${l.lipschitzLimit}`,
          },
        ]),
    ...(l.distanceLimit === null
      ? []
      : [
          {
            label: `${l.layer} dist`,
            value: l.distance.value / l.distanceLimit,
            color: '#D55E00',
            note: `${l.distance.value.toPrecision(3)} / ${l.distanceLimit}`,
          },
        ]),
  ]);
  return barChart({
    title: 'Per-layer Lipschitz constant and distance to init ÷ constraint (≤ 1: holds)',
    yLabel: 'value / constraint',
    bars,
  });
}

function boundsChart(r: QuickstartReport): string {
  const series: LineSeries[] = [];
  r.bounds.images.forEach((im, i) => {
    const color = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'][i % 7];
    const xs = im.rows.map((row) => row.eps);
    series.push({
      name: `#${im.index} local (upper bound)`,
      x: xs,
      y: im.rows.map((row) => row.local.value),
      color,
      markers: true,
    });
    series.push({
      name: `#${im.index} ascent (lower bound)`,
      x: xs,
      y: im.rows.map((row) => row.ascent.value),
      color,
      dashed: true,
    });
  });
  return lineChart({
    title: 'Local ℓ2 Lipschitz bounds vs ε (solid: upper, dashed: ascent lower bound)',
    xLabel: 'ε (ℓ2 radius, normalised pixels)',
    yLabel: 'Lipschitz constant',
    logX: true,
    logY: true,
    series,
    referenceLines: [{ y: r.bounds.global.value, label: `global (${r.bounds.global.kind})` }],
  });
}

function biasChart(r: QuickstartReport): string {
  const b = r.biasTrajectory;
  return lineChart({
    title: 'First-layer bias b1: distance from its first-step value',
    xLabel: 'optimiser step',
    yLabel: '‖b1 − b1(step 1)‖',
    series: [{ name: '‖b1 − b1(step 1)‖ (estimate)', x: b.steps, y: b.distanceFromFirstStep }],
    legendAt: 'bottom-right', // the distance grows from 0, so the lower right stays empty
  });
}

/** Writes the plots; resolves to their file names (relative to `dir`). */
async function writeQuickstartPlots(dir: string, r: QuickstartReport): Promise<string[]> {
  const written: string[] = [];
  const charts: [string, string][] = [
    [PLOTS.training, trainingChart(r)],
    [PLOTS.layers, layersChart(r)],
    [PLOTS.bounds, boundsChart(r)],
    [PLOTS.bias, biasChart(r)],
  ];
  for (const [name, svg] of charts) written.push(...(await writePlot(dir, name, svg)));
  return written.map((p) => relative(dir, p));
}

const fmt = (v: number, digits = 4) => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

/** `report.md`: a short human summary linking the plots, the run folder and report.json. */
export function quickstartMarkdown(r: QuickstartReport, outDir: string): string {
  const run = relative(outDir, r.training.runDir) || '.';
  const lines = [
    '# lipkit quickstart report',
    '',
    `Created ${r.createdAt} by \`${r.command}\` on the ${r.backend} backend in ${r.timing.wallSeconds.toFixed(0)} s wall / ${r.timing.cpuSeconds.toFixed(0)} s CPU.`,
    `All numbers are in [report.json](report.json), each labelled *upper bound*, *lower bound*, *certified lower bound* or *estimate*.`,
    '',
    '## Training',
    '',
    `simpleConvnet6 (${r.config.channels} channels, circular convs, dense classifier) behind a trainable input bias b1, on ${r.config.trainSize} embedded Fashion-MNIST images zero-padded to ${r.config.inputShape[0]}×${r.config.inputShape[1]}; ${r.config.epochs} epochs, ${r.training.steps} steps, projection every ${r.config.projectionFrequency} steps and at the end. Final test accuracy ${(100 * r.training.final.testAccuracy).toFixed(1)}%, train ${(100 * r.training.final.trainAccuracy).toFixed(1)}%.`,
    '',
    `![training curves](${PLOTS.training}.png)`,
    '',
    `TensorBoard: \`tensorboard --logdir ${run}\`; checkpoint: [${run}/checkpoint.lkc](${run}/checkpoint.lkc); log: [${run}/log.json](${run}/log.json).`,
    '',
    '## Layers against their constraints (after the final projection)',
    '',
    '| layer | Lipschitz (estimate) | limit | distance to init (estimate) | limit | holds |',
    '|---|---|---|---|---|---|',
    ...r.layers.map(
      (l) =>
        `| ${l.layer} | ${fmt(l.lipschitz.value)} | ${l.lipschitzLimit ?? '—'} | ${fmt(l.distance.value)} | ${l.distanceLimit ?? '—'} | ${l.satisfied ? 'yes' : '**no**'} |`,
    ),
    '',
    `![layers](${PLOTS.layers}.png)`,
    '',
    `Rademacher bounds (upper bounds on the ramp-loss generalisation gap, n = ${r.capacity.n}, margin ${fmt(r.capacity.margin.value)}):`,
    '',
    '| bound | upper bound |',
    '|---|---|',
    ...Object.entries(r.capacity.rademacher).map(([k, v]) => `| ${k} | ${fmt(v.value)} |`),
    '',
    '## Lipschitz bounds and certified radii (certified mode)',
    '',
    r.bounds.note,
    '',
    `Global bound: ${fmt(r.bounds.global.value)} (${r.bounds.global.kind}).`,
    '',
    '| image | label | predicted | logit gap | certified radius (local) | certified radius (global) |',
    '|---|---|---|---|---|---|',
    ...r.bounds.images.map(
      (im) =>
        `| #${im.index} | ${im.label} | ${im.predicted} | ${fmt(im.gap)} | ${fmt(im.localRadius.value)} (${im.localRadius.kind}) | ${fmt(im.globalRadius.value)} (${im.globalRadius.kind}) |`,
    ),
    '',
    `![Lipschitz vs ε](${PLOTS.bounds}.png)`,
    '',
    '## First-layer bias trajectory',
    '',
    r.biasTrajectory.description,
    '',
    `![bias trajectory](${PLOTS.bias}.png)`,
    '',
  ];
  return lines.join('\n');
}

/** Writes `report.json`, the plots and `report.md` into `dir`; resolves to the written paths. */
export async function writeQuickstartReport(dir: string, r: QuickstartReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const plots = await writeQuickstartPlots(dir, r);
  await atomicWriteFile(join(dir, 'report.json'), `${JSON.stringify(r, null, 1)}\n`);
  await atomicWriteFile(join(dir, 'report.md'), quickstartMarkdown(r, dir));
  return [join(dir, 'report.json'), join(dir, 'report.md'), ...plots.map((p) => join(dir, p))];
}

/** The summary table printed at the end (plain text). */
export function quickstartSummary(r: QuickstartReport, outDir: string): string {
  const rows: [string, string, string][] = [
    ['test accuracy (final)', fmt(r.training.final.testAccuracy), 'measured'],
    ['train accuracy (final)', fmt(r.training.final.trainAccuracy), 'measured'],
    [
      'layers within constraints',
      `${r.layers.filter((l) => l.satisfied).length}/${r.layers.length}`,
      'after final projection',
    ],
    ['global Lipschitz bound', fmt(r.bounds.global.value), r.bounds.global.kind],
  ];
  const best = Object.entries(r.capacity.rademacher).sort((a, b) => a[1].value - b[1].value)[0];
  if (best) rows.push([`tightest Rademacher bound (${best[0]})`, fmt(best[1].value), best[1].kind]);
  for (const im of r.bounds.images) {
    const mid = im.rows[Math.floor(im.rows.length / 2)];
    if (mid) {
      rows.push([`#${im.index} local L at ε=${mid.eps}`, fmt(mid.local.value), mid.local.kind]);
      rows.push([`#${im.index} ascent L at ε=${mid.eps}`, fmt(mid.ascent.value), mid.ascent.kind]);
    }
    rows.push([`#${im.index} certified radius`, fmt(im.localRadius.value), im.localRadius.kind]);
  }
  rows.push([
    'wall / CPU time (s)',
    `${r.timing.wallSeconds.toFixed(1)} / ${r.timing.cpuSeconds.toFixed(1)}`,
    'measured',
  ]);
  const w = [0, 1, 2].map((c) =>
    Math.max(...rows.map((row) => row[c]!.length), ['quantity', 'value', 'kind'][c]!.length),
  );
  const line = (row: string[]) => row.map((x, c) => x.padEnd(w[c]!)).join('  ');
  return [
    line(['quantity', 'value', 'kind']),
    line(w.map((n) => '-'.repeat(n))),
    ...rows.map(line),
    '',
    `report: ${join(outDir, 'report.md')}`,
  ].join('\n');
}
