/**
 * Verified, resumable downloads. A file is streamed to `<dest>.part`; an interrupted transfer resumes with an HTTP
 * `Range` request; transient failures (network errors, stalls, HTTP 408/429/5xx, a body that ends early) are retried
 * with exponential backoff; other HTTP errors move on to the next mirror. Only a file whose size and checksum match
 * is fsynced and renamed into place (atomic on POSIX), so the cache never holds a silently bad file. A lock file
 * `<dest>.lock` (holding the downloader's pid) keeps two processes from writing the same `.part` at once.
 */
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CorruptFileError, DownloadError } from './datasetErrors.js';
import { type Checksum, verifyFile } from './fileChecksum.js';

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Mirrors, tried in order. */
  readonly urls: readonly string[];
  /** Destination path (its folder is created). */
  readonly dest: string;
  /** Exact expected size in bytes. */
  readonly size: number;
  /** Expected checksum. */
  readonly checksum: Checksum;
  /** Called with (bytes done, total bytes) as data arrives. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Retries per mirror after the first attempt (default 5). */
  readonly retries?: number;
  /** Delay before the first retry in ms, doubled on each further retry (default 1000). */
  readonly backoffMs?: number;
  /** Longest delay between retries in ms (default 30,000). */
  readonly maxBackoffMs?: number;
  /** Abort an attempt when no byte arrives for this long, in ms (default 60,000). */
  readonly stallTimeoutMs?: number;
  /** What to tell the user to do when the file in place is corrupt (default: delete it and download again). */
  readonly remedy?: string;
}

/** Result of {@link downloadFile}. */
export interface DownloadResult {
  readonly path: string;
  /** False when a verified file was already in place. */
  readonly downloaded: boolean;
}

type Attempt =
  | { kind: 'complete'; resumed: boolean }
  | { kind: 'retry' | 'next-mirror'; problem: string; discard?: boolean };

function describeError(e: unknown): string {
  const err = e as Error & { cause?: Error };
  return err.cause?.message ? `${err.message} (${err.cause.message})` : String(err.message ?? e);
}

async function cancelBody(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // The body was already consumed or errored: nothing to release.
  }
}

async function attemptDownload(
  url: string,
  part: string,
  size: number,
  stallTimeoutMs: number,
  onProgress?: (done: number, total: number) => void,
): Promise<Attempt> {
  let have = (await stat(part).catch(() => undefined))?.size ?? 0;
  if (have > size) {
    await rm(part, { force: true });
    have = 0;
  }
  if (have === size) return { kind: 'complete', resumed: true };
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(new Error(`no data for ${stallTimeoutMs} ms`)), stallTimeoutMs);
  };
  arm();
  try {
    const res = await fetch(url, { headers: have > 0 ? { range: `bytes=${have}-` } : {}, signal: abort.signal });
    if (res.status === 416 && have > 0) {
      await cancelBody(res);
      return {
        kind: 'next-mirror',
        problem: `the server has only ${have} of ${size} bytes (truncated file)`,
        discard: true,
      };
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429) {
      await cancelBody(res);
      return { kind: 'retry', problem: `HTTP ${res.status}` };
    }
    if (!res.ok || !res.body) {
      await cancelBody(res);
      return { kind: 'next-mirror', problem: `HTTP ${res.status}` };
    }
    let append = false;
    if (res.status === 206) {
      const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
      if (Number(start) !== have) {
        await cancelBody(res);
        return { kind: 'retry', problem: 'the server answered the range request with another range', discard: true };
      }
      append = true;
    }
    const file = await open(part, append ? 'a' : 'w');
    let done = append ? have : 0;
    try {
      onProgress?.(done, size);
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        arm();
        done += chunk.length;
        if (done > size) {
          return {
            kind: 'next-mirror',
            problem: `the server sent more than the expected ${size} bytes`,
            discard: true,
          };
        }
        await file.write(chunk);
        onProgress?.(done, size);
      }
      await file.sync();
    } finally {
      await file.close();
    }
    if (done < size) return { kind: 'retry', problem: `the body ended after ${done} of ${size} bytes` };
    return { kind: 'complete', resumed: append };
  } catch (e) {
    return { kind: 'retry', problem: `network error: ${describeError(e)}` };
  } finally {
    clearTimeout(timer);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/**
 * Takes `<dest>.lock` exclusively; a lock left by a process that no longer exists is replaced.
 * @returns a function that releases the lock
 * @throws DownloadError if a live process holds the lock
 */
async function acquireLock(dest: string, url: string): Promise<() => Promise<void>> {
  const lock = `${dest}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (Number.isSafeInteger(pid) && pid > 0 && processAlive(pid)) {
        throw new DownloadError(
          url,
          dest,
          `process ${pid} is downloading this file; wait for it (or delete ${lock} if it is not)`,
        );
      }
      await rm(lock, { force: true }); // stale: its process is gone
    }
  }
  throw new DownloadError(url, dest, `could not take the lock ${lock}`);
}

/**
 * Downloads `urls` to `dest` unless a verified copy is already there.
 * @throws CorruptFileError if `dest` exists but its size or checksum is wrong (it is never overwritten silently)
 * @throws DownloadError when every mirror failed; a partial file is kept for a later resume only after network
 *   errors, never after a size or checksum problem
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const inPlace = await verifiedInPlace(options);
  if (inPlace) return inPlace;
  await mkdir(dirname(options.dest), { recursive: true });
  const release = await acquireLock(options.dest, options.urls[0] ?? '');
  try {
    // Another process may have finished this file while we waited for the lock.
    return (await verifiedInPlace(options)) ?? (await downloadLocked(options));
  } finally {
    await release();
  }
}

/**
 * The result for a verified file already at `dest`; `undefined` when there is none.
 * @throws CorruptFileError when the file there is bad
 */
async function verifiedInPlace(options: DownloadOptions): Promise<DownloadResult | undefined> {
  const { dest, size, checksum } = options;
  if ((await stat(dest).catch(() => undefined)) === undefined) return undefined;
  const problem = await verifyFile(dest, size, checksum);
  if (problem === undefined) return { path: dest, downloaded: false };
  throw new CorruptFileError(dest, problem, options.remedy ?? 'Delete it and download it again');
}

/** The download loop over mirrors and retries; the caller holds the lock. */
async function downloadLocked(options: DownloadOptions): Promise<DownloadResult> {
  const { dest, size, checksum } = options;
  const retries = options.retries ?? 5;
  const backoffMs = options.backoffMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const stallTimeoutMs = options.stallTimeoutMs ?? 60_000;
  const part = `${dest}.part`;
  let lastUrl = options.urls[0] ?? '';
  let lastProblem = 'no download URL';
  let keepPart = false;
  for (const url of options.urls) {
    lastUrl = url;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(backoffMs * 2 ** (attempt - 1), maxBackoffMs)));
      const outcome = await attemptDownload(url, part, size, stallTimeoutMs, options.onProgress);
      if (outcome.kind === 'complete') {
        const problem = await verifyFile(part, size, checksum);
        if (problem === undefined) {
          await rename(part, dest);
          await syncDirectory(dirname(dest));
          return { path: dest, downloaded: true };
        }
        await rm(part, { force: true });
        lastProblem = problem;
        keepPart = false;
        // A bad resumed file may come from a changed server file: try once more from scratch; else next mirror.
        if (outcome.resumed) continue;
        break;
      }
      lastProblem = outcome.problem;
      keepPart = !outcome.discard;
      if (outcome.discard) await rm(part, { force: true });
      if (outcome.kind === 'next-mirror') break;
    }
  }
  if (!keepPart) await rm(part, { force: true });
  keepPart &&= (await stat(part).catch(() => undefined)) !== undefined;
  const tail = keepPart
    ? `; the partial file ${part} is kept and the next attempt resumes it`
    : '; nothing was kept in the cache';
  throw new DownloadError(
    lastUrl,
    dest,
    `${lastProblem} (tried ${options.urls.length} URL(s), up to ${retries + 1} attempts each)${tail}`,
  );
}
