/** SVG/PNG plots of a training run's `log.json`, so nobody needs TensorBoard to see the result. */
import type { StepSeries, TrainingLog } from '@lipkit/constrained-layers';
import { type LineSeries, lineChart } from './svgPlot.js';
import { writePlot } from './writePlot.js';

const series = (name: string, s: StepSeries | undefined): LineSeries[] =>
  s === undefined ? [] : [{ name, x: s.steps, y: s.values }];

/**
 * Writes `loss`, `accuracy`, `gap` (per epoch) and, when the network reports them, `lipschitz` and `distance`
 * (per layer over optimiser steps) as `<dir>/<name>.svg` and `.png`. Resolves to the written paths.
 */
export async function writeTrainingPlots(dir: string, log: TrainingLog): Promise<string[]> {
  const s = log.scalar;
  const charts: [string, string][] = [
    [
      'loss',
      lineChart({
        title: 'Cross-entropy loss',
        xLabel: 'epoch',
        yLabel: 'loss',
        series: [...series('train (running)', s['Loss/Train']), ...series('test', s['Loss/Test'])],
      }),
    ],
    [
      'accuracy',
      lineChart({
        title: 'Accuracy',
        xLabel: 'epoch',
        yLabel: 'accuracy',
        series: [...series('train (running)', s['Accuracy/Train']), ...series('test', s['Accuracy/Test'])],
      }),
    ],
    [
      'gap',
      lineChart({
        title: 'Generalisation gap (train − test)',
        xLabel: 'epoch',
        yLabel: 'gap',
        series: [...series('accuracy gap', s['Accuracy/Gap']), ...series('loss gap', s['Loss/Gap'])],
      }),
    ],
  ];
  for (const [quantity, name, title] of [
    ['lip', 'lipschitz', 'Per-layer Lipschitz constant'],
    ['dist', 'distance', 'Per-layer (2,1) distance to initialisation'],
  ] as const) {
    const layers = Object.entries(log.norms[quantity]);
    if (layers.length === 0) continue;
    charts.push([
      name,
      lineChart({
        title,
        xLabel: 'optimiser step',
        yLabel: quantity,
        series: layers.flatMap(([layer, v]) => series(layer, v)),
      }),
    ]);
  }
  const paths: string[] = [];
  for (const [name, svg] of charts) paths.push(...(await writePlot(dir, name, svg)));
  return paths;
}
