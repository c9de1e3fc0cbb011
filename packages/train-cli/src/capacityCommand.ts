/**
 * `lipkit capacity <run>`: loads the last checkpoint of a training run, measures the capacity quantities of the
 * network on its training set and prints the 12 Rademacher bounds of Graf et al. (NeurIPS 2022, spec §10) as a
 * table and as JSON.
 */
import { join } from 'node:path';
import {
  assignCheckpointVariables,
  type CapacityQuantities,
  CHECKPOINT_FILE_NAME,
  checkCheckpointFits,
  RADEMACHER_BOUND_NAMES,
  rademacherBounds,
  readCheckpoint,
  registerWasmTrainingKernels,
} from '@lipkit/constrained-layers';
import type { ImageDataset } from '@lipkit/datasets';
import type { Command } from 'commander';
import { activateBackend } from './activateBackend.js';
import { CliUsageError } from './cliErrors.js';
import { globalOptionsOf } from './globalOptions.js';
import { startProgress } from './progressReporter.js';
import { type BuiltNetwork, defaultTrainDeps } from './trainArchitectures.js';
import { prepareDataset, type TrainCommandDeps, trainRunConfigOf } from './trainCommand.js';

/** What `lipkit capacity` needs besides the training dependencies. */
export interface CapacityCommandDeps extends TrainCommandDeps {
  /** Measures the bounds' inputs of a trained network on the (normalised) training set; progress in batches. */
  measureCapacity(
    network: BuiltNetwork,
    dataset: ImageDataset,
    onProgress?: (done: number, total: number) => void,
  ): CapacityQuantities | Promise<CapacityQuantities>;
}

/** Literature source of each bound (spec §10). */
const BOUND_SOURCES: Record<(typeof RADEMACHER_BOUND_NAMES)[number], string> = {
  oursNorms: 'Graf et al. 2022, Thm 3.5 (norms)',
  bartlett: 'Bartlett et al. 2017, Lemma A.8',
  ledentMain: 'Ledent et al. 2021, Thm 11',
  ledentFixedConstraints: 'Ledent et al. 2021, §E',
  oursParams: 'Graf et al. 2022, Thm 3.5 (params)',
  lin: 'Lin & Zhang 2019, Lemma 18',
  neyshabur1inf: 'Neyshabur et al. 2015, Cor. 2 (1,∞)',
  golowich1inf: 'Golowich et al. 2018, Thm 2 (1,∞)',
  gouk1inf: 'Gouk et al. 2021, Thm 1 (1,∞)',
  neyshaburFro: 'Neyshabur et al. 2015, Cor. 2 (Frobenius)',
  golowichFro: 'Golowich et al. 2018, Thm 1 (Frobenius)',
  goukFro: 'Gouk et al. 2021, Thm 2 (Frobenius)',
};

/** The bounds as table rows: name, value, source. */
export function capacityTable(bounds: Record<string, number>): string {
  const rows = RADEMACHER_BOUND_NAMES.map((n) => [n, (bounds[n] ?? Number.NaN).toPrecision(6), BOUND_SOURCES[n]]);
  const widths = [0, 1, 2].map((c) =>
    Math.max(...[['bound', 'upper bound', 'source'], ...rows].map((r) => r[c]!.length)),
  );
  const line = (r: string[]) =>
    r
      .map((x, c) => x.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(['bound', 'upper bound', 'source']), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join(
    '\n',
  );
}

/** Registers `lipkit capacity`. */
export function registerCapacityCommand(program: Command, deps?: CapacityCommandDeps): void {
  program
    .command('capacity')
    .description(
      'load the last checkpoint of a lipkit train run and print the 12 Rademacher capacity bounds (upper bounds on the generalisation gap of the ramp loss) as a table and JSON',
    )
    .argument('<run>', 'run folder written by lipkit train')
    .option(
      '--margin <γ>',
      'margin γ > 0 of the ramp loss; default: the minimum training margin, as the original (≤ 0, and so rejected, if any training point is misclassified)',
    )
    .action(async (runDir: string, opts: { margin?: string }, command: Command) => {
      const g = globalOptionsOf(command);
      const margin = opts.margin === undefined ? undefined : Number(opts.margin);
      if (margin !== undefined && !(Number.isFinite(margin) && margin > 0)) {
        throw new CliUsageError('--margin', `'${opts.margin}' is not a finite number > 0`);
      }
      const d = deps ?? defaultTrainDeps;
      const checkpoint = readCheckpoint(join(runDir, CHECKPOINT_FILE_NAME), '<run>');
      const config = trainRunConfigOf(checkpoint, runDir, '<run>');
      const backend = await activateBackend(g);
      if (backend.tfjsName === 'wasm') registerWasmTrainingKernels();
      const dataset = await prepareDataset(config, d);
      const { height, width, channels } = dataset.train;
      const network = d.buildNetwork(config, [height, width, channels], dataset.classNames.length);
      try {
        checkCheckpointFits(checkpoint, network, '<run>');
        assignCheckpointVariables(checkpoint, 'weight', network.variables, '<run>');
        let bar: ReturnType<typeof startProgress> | undefined;
        const measured = await d.measureCapacity(network, dataset, (done, total) => {
          bar ??= startProgress(g.mode, 'measuring', total, 'batches');
          bar.update(done);
        });
        const quantities = margin === undefined ? measured : { ...measured, margin };
        bar?.stop();
        const bounds = rademacherBounds(quantities);
        const json = {
          event: 'capacity',
          runDir,
          epoch: checkpoint.header.epoch,
          kind: 'upper bound',
          bounds,
          quantities,
        };
        if (g.mode === 'json') {
          process.stdout.write(`${JSON.stringify(json)}\n`);
        } else {
          process.stdout.write(
            `run ${runDir} (epoch ${checkpoint.header.epoch}), n = ${quantities.n}, margin γ = ${quantities.margin.toPrecision(6)}\n`,
          );
          process.stdout.write(`${capacityTable(bounds)}\n`);
          process.stdout.write(`${JSON.stringify({ bounds })}\n`);
        }
      } finally {
        network.dispose?.();
      }
    });
}
