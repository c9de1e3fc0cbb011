/**
 * `lipkit quickstart`: the README's main job. Stage 1 (now): load the embedded Fashion-MNIST subset (no network,
 * no cache) and print what was loaded. Later stages (training a constrained network, bounds, trajectory analytics)
 * are appended after it as the other packages land; each stage reports its own table or JSON line.
 */
import { defaultDataDir, loadEmbeddedFashionMnist } from '@lipkit/datasets';
import type { Command } from 'commander';
import { collectDatasetInfo, printDatasetInfo } from './datasetsCommand.js';
import { globalOptionsOf } from './globalOptions.js';

/** Registers `lipkit quickstart`. */
export function registerQuickstartCommand(program: Command): void {
  program
    .command('quickstart')
    .description('run the main job on the embedded Fashion-MNIST subset (needs no download)')
    .action(async (_opts, command: Command) => {
      const g = globalOptionsOf(command);
      // Stage 1: data.
      const t0 = performance.now();
      const dataset = loadEmbeddedFashionMnist();
      const loadMs = performance.now() - t0;
      const info = await collectDatasetInfo(dataset.name, defaultDataDir(), dataset);
      if (g.mode !== 'json') process.stdout.write(`stage 1/1: data (loaded in ${loadMs.toFixed(0)} ms)\n`);
      printDatasetInfo(info, g, 'quickstart-data');
    });
}
