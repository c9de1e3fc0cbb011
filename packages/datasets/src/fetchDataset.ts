/** Downloading a dataset's files into the cache, and reporting what is already there. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetDir, defaultDataDir, prepareDataDir } from './dataDirectory.js';
import { type DatasetDescription, describeDataset } from './datasetCatalog.js';
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
  /** Replace the catalog's URLs by `<baseUrl>/<file name>` (mirrors, tests). */
  readonly baseUrl?: string;
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

function urlsOf(desc: DatasetDescription, fileIndex: number, baseUrl?: string): readonly string[] {
  const file = desc.files[fileIndex]!;
  return baseUrl ? [`${baseUrl.replace(/\/$/, '')}/${file.fileName}`] : file.urls;
}

/**
 * Downloads and verifies every file of a dataset (nothing to do for the embedded subset).
 * @returns the dataset's cache folder
 * @throws DatasetError on an unknown name or an unusable `dataDir`; DownloadError / CorruptFileError as
 *   {@link downloadFile}
 */
export async function fetchDataset(name: string, options: FetchOptions = {}): Promise<string> {
  const desc = describeDataset(name);
  if (desc.files.length === 0) return embeddedDir();
  const dataDir = await prepareDataDir(options.dataDir ?? defaultDataDir());
  const dir = datasetDir(dataDir, desc.name);
  const total = desc.files.reduce((s, f) => s + f.size, 0);
  let before = 0;
  for (const [i, file] of desc.files.entries()) {
    const offset = before;
    options.onProgress?.(offset, total);
    await downloadFile({
      urls: urlsOf(desc, i, options.baseUrl),
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
 * @throws DatasetError on an unknown name
 */
export async function datasetStatus(name: string, dataDir: string = defaultDataDir()): Promise<DatasetStatus> {
  const desc = describeDataset(name);
  if (desc.files.length === 0) return { name: desc.name, path: embeddedDir(), files: [], present: true };
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
