import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptFileError, DownloadError, downloadFile } from '../src/index.js';
import { md5 } from './fixtureFormats.js';
import { type FixtureServer, type Route, startFixtureServer } from './fixtureServer.js';

const body = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 9)) % 256);
const checksum = { algorithm: 'md5' as const, hex: md5(body) };
let dir: string;
let server: FixtureServer | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lipkit-dl-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(route: Route): Promise<string> {
  server = await startFixtureServer({ '/f.bin': route });
  return server.url('/f.bin');
}

const fast = { retries: 3, backoffMs: 5 };

describe('downloadFile', () => {
  it('downloads, verifies, renames into place and reports monotone progress up to the total', async () => {
    const url = await serve({ body });
    const progress: number[] = [];
    const dest = join(dir, 'sub', 'f.bin');
    const r = await downloadFile({
      urls: [url],
      dest,
      size: body.length,
      checksum,
      onProgress: (d) => progress.push(d),
      ...fast,
    });
    expect(r).toEqual({ path: dest, downloaded: true });
    expect(md5(readFileSync(dest))).toBe(checksum.hex);
    expect(progress.at(-1)).toBe(body.length);
    expect(progress.every((d, i) => i === 0 || d >= progress[i - 1]!)).toBe(true);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['f.bin']);
    // A verified file in place is not downloaded again.
    const again = await downloadFile({ urls: [url], dest, size: body.length, checksum, ...fast });
    expect(again.downloaded).toBe(false);
    expect(server!.requests.length).toBe(1);
  });

  it('retries after HTTP 500 with backoff and then succeeds', async () => {
    const url = await serve({ body, faults: ['http500', 'http500'] });
    const dest = join(dir, 'f.bin');
    await downloadFile({ urls: [url], dest, size: body.length, checksum, ...fast });
    expect(server!.requests.length).toBe(3);
    expect(md5(readFileSync(dest))).toBe(checksum.hex);
  });

  it('resumes with an HTTP Range request after a connection reset mid-file', async () => {
    const url = await serve({ body, faults: ['reset'] });
    const dest = join(dir, 'f.bin');
    await downloadFile({ urls: [url], dest, size: body.length, checksum, ...fast });
    expect(server!.requests.length).toBe(2);
    expect(server!.requests[0]!.range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(server!.requests[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThan(body.length);
    expect(md5(readFileSync(dest))).toBe(checksum.hex);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('moves on to the next mirror after HTTP 404', async () => {
    server = await startFixtureServer({ '/a': { body, faults: ['http404'] }, '/b': { body } });
    const dest = join(dir, 'f.bin');
    await downloadFile({ urls: [server.url('/a'), server.url('/b')], dest, size: body.length, checksum, ...fast });
    expect(server.requests.map((r) => r.path)).toEqual(['/a', '/b']);
  });

  it('a truncated body ends in a DownloadError naming the problem, leaving no file behind', async () => {
    const url = await serve({ body, faults: ['truncate'] });
    const dest = join(dir, 'f.bin');
    const err = await downloadFile({ urls: [url], dest, size: body.length, checksum, ...fast }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toMatch(/truncated file/);
    expect(err.message).toMatch(/nothing was kept/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a wrong checksum ends in a DownloadError, leaving no file behind', async () => {
    const url = await serve({ body });
    const dest = join(dir, 'f.bin');
    const wrong = { algorithm: 'md5' as const, hex: '0'.repeat(32) };
    const err = await downloadFile({ urls: [url], dest, size: body.length, checksum: wrong, ...fast }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toMatch(/md5 checksum mismatch: expected 0{32}, got [0-9a-f]{32}/);
    expect(err.path).toBe(dest);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('after exhausted retries on network errors, keeps the .part file and resumes it next time', async () => {
    const url = await serve({ body, faults: ['reset', 'http500', 'http500'] });
    const dest = join(dir, 'f.bin');
    const err = await downloadFile({ urls: [url], dest, size: body.length, checksum, retries: 2, backoffMs: 5 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toMatch(/HTTP 500.*partial file .*f\.bin\.part is kept/);
    expect(existsSync(`${dest}.part`)).toBe(true);
    await downloadFile({ urls: [url], dest, size: body.length, checksum, ...fast });
    expect(server!.requests.at(-1)!.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(md5(readFileSync(dest))).toBe(checksum.hex);
  });

  it('refuses to download while a live process holds the lock, takes over a stale lock, and removes it after', async () => {
    const url = await serve({ body });
    const dest = join(dir, 'f.bin');
    writeFileSync(`${dest}.lock`, String(process.pid));
    const err = await downloadFile({ urls: [url], dest, size: body.length, checksum, ...fast }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toMatch(new RegExp(`process ${process.pid} is downloading this file`));
    expect(server!.requests.length).toBe(0);
    const exited = spawnSync(process.execPath, ['-e', '0']).pid!; // a pid whose process is gone
    writeFileSync(`${dest}.lock`, String(exited));
    await downloadFile({ urls: [url], dest, size: body.length, checksum, ...fast });
    expect(readdirSync(dir)).toEqual(['f.bin']);
  });

  it('two concurrent downloads of one file: one downloads, the other is told and leaves it alone', async () => {
    const url = await serve({ body });
    const dest = join(dir, 'f.bin');
    const results = await Promise.allSettled([
      downloadFile({ urls: [url], dest, size: body.length, checksum, ...fast }),
      downloadFile({ urls: [url], dest, size: body.length, checksum, ...fast }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason.message).toMatch(/is downloading this file/);
    expect(md5(readFileSync(dest))).toBe(checksum.hex);
    expect(readdirSync(dir)).toEqual(['f.bin']);
  });

  it('a corrupt file already in place is reported with its path and a remedy, and left untouched', async () => {
    const url = await serve({ body });
    const dest = join(dir, 'f.bin');
    writeFileSync(dest, body.subarray(0, 1000));
    const err = await downloadFile({
      urls: [url],
      dest,
      size: body.length,
      checksum,
      remedy: 'Delete it and retry',
      ...fast,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect(err.path).toBe(dest);
    expect(err.message).toBe(`${dest}: truncated: 1000 of ${body.length} bytes. Delete it and retry`);
    expect(readFileSync(dest).length).toBe(1000);
    expect(server!.requests.length).toBe(0);
  });
});
