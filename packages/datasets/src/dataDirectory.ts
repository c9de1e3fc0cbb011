/**
 * The cache folder. Layout: `<dataDir>/<dataset name>/<file name as published>` (e.g.
 * `~/.cache/lipkit/cifar10/cifar-10-binary.tar.gz`); archives are kept compressed and decoded in memory. A download
 * in progress lives beside its target as `<file>.part` and is renamed into place only once verified.
 */
import { constants } from 'node:fs';
import { access, mkdir, rmdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatasetError } from './datasetErrors.js';

/**
 * The default cache folder: `$LIPKIT_DATA_DIR` if set, else `$XDG_CACHE_HOME/lipkit`, else `~/.cache/lipkit`
 * (the XDG Base Directory convention).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LIPKIT_DATA_DIR) return resolve(env.LIPKIT_DATA_DIR);
  const cache = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(cache, 'lipkit');
}

/** The folder of one dataset inside the cache. */
export function datasetDir(dataDir: string, name: string): string {
  return join(dataDir, name);
}

const ALLOWED = 'allowed: a directory (or a path where one can be created) that this user can write';

/**
 * Checks that `dataDir` is, or can be made, a writable directory, and creates it. Writability is tested by really
 * creating (and removing) a probe directory, because `access(W_OK)` says yes to root on read-only file systems.
 * @throws DatasetError (argument `argument`, default `dataDir`) if the path is a file or not writable
 */
export async function prepareDataDir(dataDir: string, argument = 'dataDir'): Promise<string> {
  if (typeof dataDir !== 'string' || dataDir === '')
    throw new DatasetError(argument, `"${String(dataDir)}"; ${ALLOWED}`);
  const dir = resolve(dataDir);
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory()) throw new DatasetError(argument, `${dir} is a file, not a directory; ${ALLOWED}`);
  try {
    if (!info) await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    const probe = join(dir, `.lipkit-write-probe-${process.pid}-${Date.now()}`);
    await mkdir(probe);
    await rmdir(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new DatasetError(argument, `${dir} is not writable (${code}); ${ALLOWED}`);
  }
  return dir;
}
