/**
 * `lipkit datasets list | fetch <name> | info <name>`: what datasets exist, downloading one (verified, resumable,
 * with a progress bar), and everything about one (sizes, classes, statistics, cache path, present or not).
 */
import {
  DATASET_NAMES,
  DatasetError,
  type DatasetName,
  datasetStatus,
  defaultDataDir,
  describeDataset,
  fetchDataset,
  type ImageDataset,
  listDatasets,
  splitStatistics,
} from '@lipkit/datasets';
import type { Command } from 'commander';
import { CliUsageError } from './cliErrors.js';
import { type GlobalOptions, globalOptionsOf } from './globalOptions.js';
import { startProgress } from './progressReporter.js';

/** Library argument names → the CLI's flag or argument, so errors name what the user typed. */
const CLI_ARGUMENT: Record<string, string> = { name: '<name>', dataDir: '--data-dir' };

/** Re-labels a `DatasetError` with the CLI's flag name (e.g. `dataDir` → `--data-dir`). */
export function asCliError(e: unknown): unknown {
  if (e instanceof DatasetError && CLI_ARGUMENT[e.argument]) {
    return new CliUsageError(CLI_ARGUMENT[e.argument]!, e.message.slice(e.argument.length + 2));
  }
  return e;
}

/** Lays out rows as a left-aligned text table (first row = header). */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return `${[line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')}\n`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function fixed(values: readonly number[], digits = 4): string {
  return values.map((v) => v.toFixed(digits)).join(', ');
}

/** Everything `datasets info` reports, as plain data (the JSON output). */
export interface DatasetInfo {
  name: DatasetName;
  title: string;
  homepage: string;
  licence: string;
  imageShape: readonly number[];
  trainCount: number;
  testCount: number;
  numClasses: number;
  classNames: readonly string[] | null;
  normalisation: { mean: readonly number[]; std: readonly number[] };
  downloadBytes: number;
  files: {
    fileName: string;
    urls: readonly string[];
    size: number;
    checksum: string;
    path: string;
    present: boolean;
  }[];
  cachePath: string;
  present: boolean;
  /** Measured on the loaded data (only when a dataset was loaded, e.g. by quickstart). */
  measured?: { split: 'train' | 'test'; mean: number[]; std: number[]; classCounts: number[] }[];
}

/** Collects the catalog entry and the cache status of a dataset; with `loaded`, adds its measured statistics. */
export async function collectDatasetInfo(name: string, dataDir: string, loaded?: ImageDataset): Promise<DatasetInfo> {
  const desc = describeDataset(name);
  const status = await datasetStatus(desc, dataDir);
  const info: DatasetInfo = {
    name: desc.name,
    title: desc.title,
    homepage: desc.homepage,
    licence: desc.licence,
    imageShape: desc.imageShape,
    trainCount: desc.trainCount,
    testCount: desc.testCount,
    numClasses: desc.numClasses,
    classNames: desc.classNames ?? null,
    normalisation: desc.normalisation,
    downloadBytes: desc.files.reduce((s, f) => s + f.size, 0),
    files: desc.files.map((f, i) => ({
      fileName: f.fileName,
      urls: f.urls,
      size: f.size,
      checksum: `${f.checksum.algorithm}:${f.checksum.hex}`,
      path: status.files[i]!.path,
      present: status.files[i]!.present,
    })),
    cachePath: status.path,
    present: status.present,
  };
  if (loaded) {
    info.measured = (['train', 'test'] as const).map((split) => ({
      split,
      ...splitStatistics(loaded[split], loaded.classNames.length),
    }));
  }
  return info;
}

/** Prints a dataset's info as a table (bar/quiet modes) or one JSON line (`--json`). */
export function printDatasetInfo(info: DatasetInfo, g: GlobalOptions, event = 'dataset-info'): void {
  if (g.mode === 'json') {
    process.stdout.write(`${JSON.stringify({ event, ...info })}\n`);
    return;
  }
  const rows: string[][] = [
    ['field', 'value'],
    ['name', info.name],
    ['title', info.title],
    ['images (train / test)', `${info.trainCount} / ${info.testCount}`],
    ['image shape (H×W×C)', info.imageShape.join('×')],
    [
      'classes',
      `${info.numClasses}${info.classNames ? `: ${info.classNames.join(', ')}` : ' (names read from the archive)'}`,
    ],
    ['normalisation mean', fixed(info.normalisation.mean)],
    ['normalisation std', fixed(info.normalisation.std)],
  ];
  for (const m of info.measured ?? []) {
    rows.push([`measured ${m.split} mean (estimate)`, fixed(m.mean)]);
    rows.push([`measured ${m.split} std (estimate)`, fixed(m.std)]);
    rows.push([`${m.split} images per class`, m.classCounts.join(' ')]);
  }
  rows.push(['download size', info.downloadBytes ? megabytes(info.downloadBytes) : 'none (shipped in the package)']);
  for (const f of info.files) rows.push([`file ${f.fileName}`, `${f.urls[0]} (${f.checksum}, ${f.size} B)`]);
  rows.push(['cache path', info.cachePath]);
  rows.push(['present', info.present ? 'yes' : `no (run \`lipkit datasets fetch ${info.name}\`)`]);
  rows.push(['licence', info.licence]);
  rows.push(['homepage', info.homepage]);
  process.stdout.write(formatTable(rows));
}

/** Reads `--data-dir` (default: the user's cache folder). */
function dataDirOf(opts: { dataDir?: string }): string {
  return opts.dataDir ?? defaultDataDir();
}

const DATA_DIR_HELP = `cache folder (default: $LIPKIT_DATA_DIR, else $XDG_CACHE_HOME/lipkit, else ~/.cache/lipkit)`;

/** Registers `lipkit datasets` and its sub-commands. */
export function registerDatasetsCommand(program: Command): void {
  const datasets = program
    .command('datasets')
    .description(`list, fetch and describe datasets (${DATASET_NAMES.join(', ')})`);

  datasets
    .command('list')
    .description('list the datasets, their sizes and whether they are in the cache')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action(async (opts: { dataDir?: string }, command: Command) => {
      const g = globalOptionsOf(command);
      const dataDir = dataDirOf(opts);
      const all = await Promise.all(listDatasets().map((d) => collectDatasetInfo(d.name, dataDir)));
      if (g.mode === 'json') {
        process.stdout.write(`${JSON.stringify({ event: 'datasets', dataDir, datasets: all })}\n`);
        return;
      }
      const rows = [['name', 'train', 'test', 'shape', 'classes', 'download', 'present', 'licence']];
      for (const d of all) {
        rows.push([
          d.name,
          String(d.trainCount),
          String(d.testCount),
          d.imageShape.join('×'),
          String(d.numClasses),
          d.downloadBytes ? megabytes(d.downloadBytes) : 'embedded',
          d.present ? 'yes' : 'no',
          d.licence.split(' (')[0]!.split(';')[0]!,
        ]);
      }
      process.stdout.write(formatTable(rows));
      process.stdout.write(`cache folder: ${dataDir}\n`);
    });

  datasets
    .command('fetch <name>')
    .description('download a dataset into the cache (verified size and checksum, resumable, retried)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--mirror <url>', 'download from <url>/<name>/<file> instead of the official URLs')
    .action(async (name: string, opts: { dataDir?: string; mirror?: string }, command: Command) => {
      const g = globalOptionsOf(command);
      try {
        const desc = describeDataset(name);
        const dataDir = dataDirOf(opts);
        const total = desc.files.reduce((s, f) => s + f.size, 0);
        const bar =
          total > 0 ? startProgress(g.mode, `fetch ${desc.name}`, Math.round(total / 1e5) / 10, 'MB') : undefined;
        let path: string;
        try {
          path = await fetchDataset(desc, {
            dataDir,
            ...(opts.mirror ? { mirror: opts.mirror } : {}),
            onProgress: (done) => bar?.update(Math.round(done / 1e5) / 10),
          });
        } finally {
          bar?.stop();
        }
        if (g.mode === 'json') process.stdout.write(`${JSON.stringify({ event: 'fetched', name: desc.name, path })}\n`);
        else process.stdout.write(`${desc.name}: verified in ${path}\n`);
      } catch (e) {
        throw asCliError(e);
      }
    });

  datasets
    .command('info <name>')
    .description('sizes, classes, normalisation statistics, URLs, checksums, cache path and presence of a dataset')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action(async (name: string, opts: { dataDir?: string }, command: Command) => {
      const g = globalOptionsOf(command);
      try {
        printDatasetInfo(await collectDatasetInfo(name, dataDirOf(opts)), g);
      } catch (e) {
        throw asCliError(e);
      }
    });
}
