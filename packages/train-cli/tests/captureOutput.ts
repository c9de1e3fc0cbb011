import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, vi } from 'vitest';
import { runCli } from '../src/index.js';

/** A maker of fresh temporary folders named `<prefix>…`, all removed after the test file. Call at module level. */
export function temporaryDirectories(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

/** Runs `body` with process.stdout/stderr writes captured (not printed); restores them even when `body` throws. */
export async function captureOutput(body: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    const code = await body();
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

/** `lipkit <args>` in-process, with its exit code and captured output. */
export function runCaptured(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return captureOutput(() => runCli(args));
}
