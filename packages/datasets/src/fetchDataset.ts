/** Downloading a dataset's files into the cache, and reporting what is already there. */
import { rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetDir, defaultDataDir, prepareDataDir } from './dataDirectory.js';
import { type DatasetDescription, describeDataset } from './datasetCatalog.js';
import { DatasetError } from './datasetErrors.js';
import { downloadFile } from './downloadFile.js';

/** Options of {@link fetchDataset}. */
export interface FetchOptions {
  /** Cache folder (default {@link defaultDataDir}). */
  readonly dataDir?: string;
  /** Called with (bytes done, total bytes) over all files of the dataset. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Retries per mirror (default 5). */
  readonly retries?: number;
  /** First retry delay in ms, doubled each time (default 1000). */
  readonly backoffMs?: number;
  /**
   * Download from `<mirror>/<dataset name>/<file name>` instead of the official URLs (a local or institutional
   * copy of the cache layout). Sizes and checksums are still those of the official files.
   */
  readonly mirror?: string;
}

/** Where each file of a dataset lives, and whether it is there with the right size (checksums are not read). */
export interface DatasetStatus {
  readonly name: string;
  /** `<dataDir>/<name>`, or the package's `embedded/` folder for the embedded subset. */
  readonly path: string;
  readonly files: { readonly path: string; readonly size: number; readonly present: boolean }[];
  /** All files present with the expected size (always true for the embedded subset). */
  readonly present: boolean;
}

function remedyFor(name: string): string {
  return `Delete it and run \`lipkit datasets fetch ${name}\` again`;
}

/**
 * A catalog entry from a name, or a description as given (e.g. a catalog entry whose files point to a mirror).
 * @throws DatasetError on an unknown name
 */
export function resolveDescription(dataset: string | DatasetDescription): DatasetDescription {
  return typeof dataset === 'string' ? describeDataset(dataset) : dataset;
}

/**
 * Downloads and verifies every file of a dataset (nothing to do for the embedded subset).
 * @param dataset a catalog name, or a description (to use other mirrors)
 * @returns the dataset's cache folder
 * @throws DatasetError on an unknown name or an unusable `dataDir`; DownloadError / CorruptFileError as
 *   {@link downloadFile}
 */
export async function fetchDataset(dataset: string | DatasetDescription, options: FetchOptions = {}): Promise<string> {
  const desc = resolveDescription(dataset);
  if (desc.files.length === 0) return embeddedDir();
  const dataDir = await prepareDataDir(options.dataDir ?? defaultDataDir());
  const dir = datasetDir(dataDir, desc.name);
  const total = desc.files.reduce((s, f) => s + f.size, 0);
  let before = 0;
  try {
    for (const file of desc.files) {
      const offset = before;
      options.onProgress?.(offset, total);
      await downloadFile({
        urls: options.mirror ? [`${options.mirror.replace(/\/+$/, '')}/${desc.name}/${file.fileName}`] : file.urls,
        dest: join(dir, file.fileName),
        size: file.size,
        checksum: file.checksum,
        remedy: remedyFor(desc.name),
        ...(options.retries === undefined ? {} : { retries: options.retries }),
        ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
        ...(options.onProgress ? { onProgress: (done: number) => options.onProgress?.(offset + done, total) } : {}),
      });
      before += file.size;
    }
  } catch (e) {
    // Leave no empty dataset folder behind after a failed first download.
    await rmdir(dir).catch(() => undefined);
    throw e;
  }
  options.onProgress?.(total, total);
  return dir;
}

/** The folder holding the embedded subset's files. */
export function embeddedDir(): string {
  return fileURLToPath(new URL('../embedded/', import.meta.url));
}

/**
 * Reports where a dataset's files are and whether they are present (by size; `loadDataset` also checks the
 * checksums). Never creates anything.
 * @throws DatasetError on an unknown name, or a `dataDir` that is a file
 */
export async function datasetStatus(
  dataset: string | DatasetDescription,
  dataDir: string = defaultDataDir(),
): Promise<DatasetStatus> {
  const desc = resolveDescription(dataset);
  if (desc.files.length === 0) return { name: desc.name, path: embeddedDir(), files: [], present: true };
  const root = await stat(dataDir).catch(() => undefined);
  if (root && !root.isDirectory()) {
    throw new DatasetError('dataDir', `${dataDir} is a file, not a directory; allowed: a directory`);
  }
  const dir = datasetDir(dataDir, desc.name);
  const files = await Promise.all(
    desc.files.map(async (f) => {
      const path = join(dir, f.fileName);
      const info = await stat(path).catch(() => undefined);
      return { path, size: f.size, present: info?.isFile() === true && info.size === f.size };
    }),
  );
  return { name: desc.name, path: dir, files, present: files.every((f) => f.present) };
}
