/**
 * Downloading a dataset into the cache from the first of its sources that works, and reporting what is already
 * there.
 */
import { rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetDir, defaultDataDir, prepareDataDir } from './dataDirectory.js';
import {
  type DatasetDescription,
  type DatasetSource,
  describeDataset,
  embeddedSource,
  sourceDownloadBytes,
} from './datasetCatalog.js';
import { DatasetError, DownloadError } from './datasetErrors.js';
import { downloadFile } from './downloadFile.js';
import { verifyFile } from './fileChecksum.js';

/** Options of {@link fetchDataset}. */
export interface FetchOptions {
  /** Cache folder (default {@link defaultDataDir}). */
  readonly dataDir?: string;
  /**
   * Called with (bytes done, total bytes) over all files of the source being downloaded; after a fallback to the
   * next source, `total` becomes that source's size and `done` starts again from 0.
   */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Called when downloading `failed` gave up (a {@link DownloadError} after all its retries and URLs), just before
   * `next` is tried.
   */
  readonly onFallback?: (failed: DatasetSource, error: DownloadError, next: DatasetSource) => void;
  /** Retries per URL (default 5). */
  readonly retries?: number;
  /** First retry delay in ms, doubled each time (default 1000). */
  readonly backoffMs?: number;
  /**
   * Download from `<mirror>/<dataset name>/<file name>` instead of the published URLs (a local or institutional
   * copy of the cache layout). It replaces the URLs of every source, which are still tried in order, so a mirror
   * may hold any one source's files. Sizes and checksums are still those of the catalog.
   */
  readonly mirror?: string;
}

/** What {@link fetchDataset} did. */
export interface FetchResult {
  /** The dataset's cache folder `<dataDir>/<name>` (the package's `embedded/` folder for the embedded subset). */
  readonly path: string;
  /** The source whose files are now in the cache, verified (size and checksum). */
  readonly source: DatasetSource;
  /** False when that source was already complete and verified in the cache (nothing was downloaded). */
  readonly downloaded: boolean;
  /** Sources tried before `source` whose download failed, in order, with the error that ended each. */
  readonly failed: readonly { readonly source: DatasetSource; readonly error: DownloadError }[];
}

/** One file of a source in the cache: where it is, its expected size, and whether a file of that size is there. */
export interface CachedFileStatus {
  readonly fileName: string;
  readonly path: string;
  readonly size: number;
  readonly present: boolean;
}

/** Whether one source's files are in the cache (by size; checksums are not read). */
export interface SourceStatus {
  readonly id: string;
  readonly title: string;
  readonly files: readonly CachedFileStatus[];
  /** Every file of the source present with its expected size (always true for the embedded subset). */
  readonly present: boolean;
}

/** Where each source's files of a dataset live, and which are there with the right size. */
export interface DatasetStatus {
  readonly name: string;
  /** `<dataDir>/<name>`, or the package's `embedded/` folder for the embedded subset. */
  readonly path: string;
  /** One entry per source, in the catalog's order of preference. */
  readonly sources: readonly SourceStatus[];
  /** Some source is complete (always true for the embedded subset). */
  readonly present: boolean;
  /** Id of the first complete source, the one `loadDataset` would decode; `undefined` when none is. */
  readonly presentSource?: string;
}

/** The outcome of looking for a usable source in the cache. */
export interface CachedSourceScan {
  /** The first source whose files are all present and verified (size and checksum). */
  readonly source?: DatasetSource;
  /** The first bad file met in a source whose files are all present, when no source verified. */
  readonly corrupt?: { readonly path: string; readonly problem: string };
}

function remedyFor(name: string): string {
  return `Delete it and run \`lipkit datasets fetch ${name}\` again`;
}

/**
 * A catalog entry from a name, or a description as given (e.g. a catalog entry whose sources point to a mirror).
 * @throws DatasetError on an unknown name, or (argument `sources`) a description without sources
 */
export function resolveDescription(dataset: string | DatasetDescription): DatasetDescription {
  const desc = typeof dataset === 'string' ? describeDataset(dataset) : dataset;
  if (!Array.isArray(desc.sources) || desc.sources.length === 0) {
    throw new DatasetError('sources', `dataset "${desc.name}" lists no source; allowed: at least one source`);
  }
  return desc;
}

/**
 * Looks, in order, for a source whose files are all in `dir` with the right size and checksum. A source with a
 * missing file is skipped without reading any checksum; a complete one is verified in full.
 */
export async function scanCachedSources(desc: DatasetDescription, dir: string): Promise<CachedSourceScan> {
  let corrupt: CachedSourceScan['corrupt'];
  for (const source of desc.sources) {
    const paths = source.files.map((f) => join(dir, f.fileName));
    const infos = await Promise.all(paths.map((p) => stat(p).catch(() => undefined)));
    if (!infos.every((info) => info?.isFile())) continue;
    let bad: CachedSourceScan['corrupt'];
    for (const [i, f] of source.files.entries()) {
      const problem = await verifyFile(paths[i]!, f.size, f.checksum);
      if (problem !== undefined) {
        bad = { path: paths[i]!, problem };
        break;
      }
    }
    if (!bad) return { source };
    corrupt ??= bad;
  }
  return corrupt ? { corrupt } : {};
}

/** Downloads every file of one source; resolves to whether anything was downloaded. */
async function downloadSource(
  desc: DatasetDescription,
  source: DatasetSource,
  dir: string,
  options: FetchOptions,
): Promise<boolean> {
  const total = sourceDownloadBytes(source);
  let before = 0;
  let downloaded = false;
  for (const file of source.files) {
    const offset = before;
    options.onProgress?.(offset, total);
    const result = await downloadFile({
      urls: options.mirror ? [`${options.mirror.replace(/\/+$/, '')}/${desc.name}/${file.fileName}`] : file.urls,
      dest: join(dir, file.fileName),
      size: file.size,
      checksum: file.checksum,
      remedy: remedyFor(desc.name),
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
      ...(options.onProgress ? { onProgress: (done: number) => options.onProgress?.(offset + done, total) } : {}),
    });
    downloaded ||= result.downloaded;
    before += file.size;
  }
  options.onProgress?.(total, total);
  return downloaded;
}

/**
 * Makes one complete, verified source of a dataset available in the cache. If some source is already complete and
 * verified (size and checksum), it is used as is, the official one first. Otherwise the sources are downloaded in
 * order; the next one is tried only when a download fails with a {@link DownloadError} (after all its retries and
 * URLs). A corrupt file already in the cache is never overwritten: it stops the fetch with a CorruptFileError.
 * Nothing to do for the embedded subset.
 * @param dataset a catalog name, or a description (to use other URLs)
 * @returns the cache folder, the source used, whether it was downloaded, and the sources that failed first
 * @throws DatasetError on an unknown name or an unusable `dataDir`; CorruptFileError on a bad cached file;
 *   DownloadError when every source failed (the last source's error, its message listing the earlier failures)
 */
export async function fetchDataset(
  dataset: string | DatasetDescription,
  options: FetchOptions = {},
): Promise<FetchResult> {
  const desc = resolveDescription(dataset);
  const embedded = embeddedSource(desc);
  if (embedded) return { path: embeddedDir(), source: embedded, downloaded: false, failed: [] };
  const dataDir = await prepareDataDir(options.dataDir ?? defaultDataDir());
  const dir = datasetDir(dataDir, desc.name);
  const cached = await scanCachedSources(desc, dir);
  if (cached.source) return { path: dir, source: cached.source, downloaded: false, failed: [] };
  const failed: { source: DatasetSource; error: DownloadError }[] = [];
  try {
    // resolveDescription guarantees a first source; the last one's failure throws, so the loop always ends.
    for (let i = 0; ; i++) {
      const source = desc.sources[i]!;
      try {
        const downloaded = await downloadSource(desc, source, dir, options);
        return { path: dir, source, downloaded, failed };
      } catch (e) {
        const next = desc.sources[i + 1];
        if (!(e instanceof DownloadError)) throw e;
        if (!next) throw withEarlierFailures(e, failed);
        failed.push({ source, error: e });
        options.onFallback?.(source, e, next);
      }
    }
  } catch (e) {
    // Leave no empty dataset folder behind after a failed first download.
    await rmdir(dir).catch(() => undefined);
    throw e;
  }
}

/** The last source's DownloadError, its message extended with why the earlier sources failed. */
function withEarlierFailures(
  last: DownloadError,
  failed: readonly { source: DatasetSource; error: DownloadError }[],
): DownloadError {
  if (failed.length === 0) return last;
  const earlier = failed.map((f) => `${f.source.title}: ${f.error.message}`).join('; ');
  return new DownloadError(last.url, last.path, `${last.problem} (earlier sources failed too: ${earlier})`);
}

/** The folder holding the embedded subset's files. */
export function embeddedDir(): string {
  return fileURLToPath(new URL('../embedded/', import.meta.url));
}

/**
 * Reports, for each source of a dataset, where its files are and whether they are present (by size; `loadDataset`
 * also checks the checksums). Never creates anything.
 * @throws DatasetError on an unknown name, or a `dataDir` that is a file
 */
export async function datasetStatus(
  dataset: string | DatasetDescription,
  dataDir: string = defaultDataDir(),
): Promise<DatasetStatus> {
  const desc = resolveDescription(dataset);
  const embedded = embeddedSource(desc);
  if (embedded) {
    const sources = [{ id: embedded.id, title: embedded.title, files: [], present: true }];
    return { name: desc.name, path: embeddedDir(), sources, present: true, presentSource: embedded.id };
  }
  const root = await stat(dataDir).catch(() => undefined);
  if (root && !root.isDirectory()) {
    throw new DatasetError('dataDir', `${dataDir} is a file, not a directory; allowed: a directory`);
  }
  const dir = datasetDir(dataDir, desc.name);
  const sources = await Promise.all(
    desc.sources.map(async (source): Promise<SourceStatus> => {
      const files = await Promise.all(
        source.files.map(async (f) => {
          const path = join(dir, f.fileName);
          const info = await stat(path).catch(() => undefined);
          return { fileName: f.fileName, path, size: f.size, present: info?.isFile() === true && info.size === f.size };
        }),
      );
      return { id: source.id, title: source.title, files, present: files.every((f) => f.present) };
    }),
  );
  const first = sources.find((s) => s.present);
  return {
    name: desc.name,
    path: dir,
    sources,
    present: first !== undefined,
    ...(first ? { presentSource: first.id } : {}),
  };
}
