import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageDataset } from '@lipkit/datasets';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addGlobalOptions } from '../src/globalOptions.js';
import { runCli } from '../src/runCli.js';
import { registerSteadyCommand } from '../src/steadyCommand.js';
import { captureOutput } from './captureOutput.js';

/** Ten-class 32×32×3 (or 28×28×1) fixture: class k has brightness ~ 20k, so airplane (0) and dog (5) differ. */
function fixtureDataset(side: number, channels: number, perClass: number): ImageDataset {
  const split = (n: number) => {
    const size = side * side * channels;
    const count = 10 * n;
    const pixels = new Uint8Array(count * size);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = i % 10;
      for (let p = 0; p < size; p++) pixels[i * size + p] = (20 * (i % 10) + ((p * 7 + i * 13) % 50)) & 255;
    }
    return { pixels, labels, count, height: side, width: side, channels };
  };
  return {
    name: 'fixture',
    classNames: Array.from({ length: 10 }, (_, k) => `c${k}`),
    normalisation: { mean: Array(channels).fill(0.5), std: Array(channels).fill(0.5) },
    train: split(perClass),
    test: split(2),
  };
}

/** Every file under a `figures` folder below `root`, by relative path → contents. */
async function figureFiles(root: string, rel = ''): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const e of (await readdir(join(root, rel), { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of await figureFiles(root, path)) files.set(k, v);
    else if (path.split('/').includes('figures')) files.set(path, await readFile(join(root, path)));
  }
  return files;
}

async function runWithLoader(argv: string[], loader: Parameters<typeof registerSteadyCommand>[1]) {
  const program = new Command('lipkit').exitOverride();
  addGlobalOptions(program);
  registerSteadyCommand(program, loader);
  const { out } = await captureOutput(async () => {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  });
  return out;
}

describe('lipkit steady', () => {
  it('mlp: tiny end-to-end run writes runs and figures, then reloads them without training', async () => {
    const out = await mkdtemp(join(tmpdir(), 'steady-mlp-'));
    const args = ['--quiet', 'steady', 'mlp', '-f', '0.25,1.0', '-N', '20', '-e', '5', '--out', out];
    expect(await runCli(args)).toBe(0);
    const folder = join(out, 'mlp', 'N20_e5_bs1_lr0.001_mlp32_seed0');
    expect((await readdir(folder)).sort()).toEqual(['figures', 'freq_0.25', 'freq_1.0']);
    const figures = await readdir(join(folder, 'figures', 'faithful'));
    for (const f of [
      'trajectory',
      'integral_trajectory',
      'lipschitz',
      'variance',
      'distance',
      'train_loss',
      'test_error',
    ]) {
      expect(figures).toContain(`${f}.svg`);
      expect(figures).toContain(`${f}.png`);
    }
    // One repeat: std 0, so no mean ± std band.
    expect(await readFile(join(folder, 'figures', 'faithful', 'train_loss.svg'), 'utf8')).not.toContain('band');
    const b1 = await stat(join(folder, 'freq_1.0', '0', 'b1.f32'));
    expect(b1.size).toBe(5 * 20 * 10 * 4);
    // --load-model: reload only (works now that the runs exist), fails for settings never trained.
    expect(await runCli([...args, '--load-model'])).toBe(0);
    expect(
      await runCli(['--quiet', 'steady', 'mlp', '-f', '0.5', '-N', '20', '-e', '5', '--out', out, '--load-model']),
    ).toBe(2);
  });

  it('mlp --batch-sizes: one sweep per batch size plus the batch-size figures; plot redraws all byte-identically', async () => {
    const out = await mkdtemp(join(tmpdir(), 'steady-batch-'));
    const args = ['--quiet', 'steady', 'mlp', '-f', '0.25,0.75', '-N', '8', '-e', '3', '-r', '2', '--batch-sizes'];
    expect(await runCli([...args, '2,4', '--out', out])).toBe(0);
    const root = join(out, 'mlp');
    expect((await readdir(root)).sort()).toEqual([
      'N8_e3_bs2+4_lr0.001_mlp32_seed0',
      'N8_e3_bs2_lr0.001_mlp32_seed0',
      'N8_e3_bs4_lr0.001_mlp32_seed0',
    ]);
    const dir = join(root, 'N8_e3_bs2+4_lr0.001_mlp32_seed0', 'figures', 'faithful');
    expect((await readdir(dir)).sort()).toEqual([
      'figures.json',
      'replot.json',
      'test_loss.png',
      'test_loss.svg',
      'train_loss.png',
      'train_loss.svg',
      'trajectory.png',
      'trajectory.svg',
    ]);
    const trajectory = await readFile(join(dir, 'trajectory.svg'), 'utf8');
    for (const label of ['freq=0.25, bs=2', 'freq=0.75, bs=2', 'freq=0.25, bs=4', 'freq=0.75, bs=4']) {
      expect(trajectory).toContain(`>${label}</text>`);
    }
    // Two repeats: every line figure shades mean ± std (alpha 0.3), one band per curve.
    const bands = async (d: string, name: string) =>
      (await readFile(join(d, `${name}.svg`), 'utf8')).match(/class="band"[^>]*fill-opacity="0.3"/g)?.length ?? 0;
    const bs2 = join(root, 'N8_e3_bs2_lr0.001_mlp32_seed0', 'figures', 'faithful');
    for (const name of ['train_loss', 'test_loss', 'train_error', 'test_error', 'trajectory', 'integral_trajectory']) {
      expect(await bands(bs2, name), name).toBe(2);
    }
    expect(await bands(dir, 'train_loss')).toBe(4);
    // 8 points at bs 4 = 2 steps per epoch: every curve is cut to the 6 steps of the bs-4 runs.
    const figures = JSON.parse(await readFile(join(dir, 'figures.json'), 'utf8'));
    expect(figures.trajectory.series.map((s: { x: number[] }) => s.x.length)).toEqual([6, 6, 6, 6]);
    const b1 = await stat(join(root, 'N8_e3_bs4_lr0.001_mlp32_seed0', 'freq_0.75', '1', 'b1.f32'));
    expect(b1.size).toBe(3 * 2 * 10 * 4);
    expect((await captureOutput(() => runCli([...args, '2,0', '--out', out]))).code).toBe(2);

    // Replot: delete every figure (SVG, PNG, figures.json); only the runs and replot.json remain.
    const before = await figureFiles(out);
    expect([...before.keys()].filter((k) => k.endsWith('replot.json'))).toHaveLength(3);
    for (const k of before.keys()) if (!k.endsWith('replot.json')) await rm(join(out, k));
    const { code, out: text } = await captureOutput(() => runCli(['--json', 'steady', 'plot', out]));
    expect(code, text).toBe(0);
    // Every run was loaded, none trained: 4 runs (2 f × 2 repeats) per sweep, for bs 2, bs 4, then both again for
    // the comparison.
    expect(text.split('\n').filter((l) => l.includes('"event":"cached"'))).toHaveLength(16);
    expect(text).not.toContain('"event":"progress"');
    expect(text.split('\n').filter((l) => l.includes('"event":"result"'))).toHaveLength(3);
    const after = await figureFiles(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [k, v] of before) expect(after.get(k)?.equals(v), k).toBe(true);
  });

  it('plot: regions are redrawn from the cached run; a folder without replot.json or a missing run is exit 2', async () => {
    const out = await mkdtemp(join(tmpdir(), 'steady-replot-regions-'));
    const regions = ['--quiet', 'steady', 'regions', '-N', '8', '-e', '2', '--grid', '12', '--width', '4'];
    expect(await runCli([...regions, '--out', out])).toBe(0);
    const before = await figureFiles(out);
    expect(before.size).toBeGreaterThan(5);
    expect(await readdir(join(out, 'regions'))).toEqual(['N8_e2_bs1_lr0.001_mlp2w4_seed0']);
    expect(await runCli(['--quiet', 'steady', 'plot', out])).toBe(0);
    const after = await figureFiles(out);
    for (const [k, v] of before) expect(after.get(k)?.equals(v), k).toBe(true);
    const empty = await mkdtemp(join(tmpdir(), 'steady-replot-empty-'));
    expect(await runCli(['--quiet', 'steady', 'plot', empty])).toBe(2);
    expect(await runCli(['--quiet', 'steady', 'plot', join(empty, 'missing')])).toBe(2);
    // A damaged replot.json is a usage error, not a crash.
    const settings = join(out, 'regions', (await readdir(join(out, 'regions')))[0]!);
    const recipePath = join(settings, 'figures', 'grid12', 'replot.json');
    const recipe = await readFile(recipePath, 'utf8');
    await writeFile(recipePath, JSON.stringify({ ...JSON.parse(recipe), folder: undefined }));
    expect(await runCli(['--quiet', 'steady', 'plot', out])).toBe(2);
    await writeFile(recipePath, '{"formatVersion": 7}');
    expect(await runCli(['--quiet', 'steady', 'plot', out])).toBe(2);
    await writeFile(recipePath, recipe);
    const run = join(settings, 'freq_0.5', '0');
    await rm(join(run, 'done.json'));
    expect(await runCli(['--quiet', 'steady', 'plot', out])).toBe(2);
  });

  it('cnn on generated fixture data (airplane vs dog), with the CIFAR shapes', async () => {
    const out = await mkdtemp(join(tmpdir(), 'steady-cnn-'));
    // The CNN is 1.08 M parameters: keep it to 2 images per class, 1 epoch, one corruption rate.
    const text = await runWithLoader(
      [
        ...['--json', '--backend', 'wasm', 'steady', 'cnn', '-c', '0.4', '-e', '1'],
        ...['--train-per-class', '1', '--test-per-class', '1', '--out', out],
      ],
      async (name) => {
        expect(name).toBe('cifar10');
        return fixtureDataset(32, 3, 1);
      },
    );
    const result = text
      .split('\n')
      .filter((l) => l.includes('"result"'))
      .map((l) => JSON.parse(l))[0];
    expect(result.experiment).toBe('cnn');
    expect(result.summary[0].label).toBe('corruption=0.4');
    expect(Number.isFinite(result.summary[0].trajectoryLate)).toBe(true);
    const metrics = JSON.parse(await readFile(join(result.folder, 'corrupt_0.4', '0', 'metrics.json'), 'utf8'));
    expect(metrics.stepsPerEpoch).toBe(2);
    expect(metrics.testCount).toBe(2);
    expect(result.folder).toContain('_n1_nt1_');
    // The replot needs neither the dataset nor tfjs training: the figures come back identical.
    const before = await figureFiles(result.folder);
    expect(await runCli(['--quiet', 'steady', 'plot', result.folder])).toBe(0);
    const after = await figureFiles(result.folder);
    for (const [k, v] of before) expect(after.get(k)?.equals(v), k).toBe(true);
  }, 120_000);

  it('mnist on generated fixture data', async () => {
    const out = await mkdtemp(join(tmpdir(), 'steady-mnist-'));
    const text = await runWithLoader(
      ['--json', '--backend', 'cpu', 'steady', 'mnist', '--models', 'mnist-mlp', '-e', '2', '--out', out],
      async () => fixtureDataset(28, 1, 3),
    );
    expect(text).toContain('"experiment":"mnist"');
  });

  it('missing datasets point to `lipkit datasets fetch`', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'steady-nodata-'));
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((c: string) => {
      err.push(String(c));
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await runCli(['--quiet', '--backend', 'cpu', 'steady', 'cnn', '--data-dir', dataDir, '-e', '1']);
    } finally {
      process.stderr.write = write;
    }
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/lipkit datasets fetch cifar10/);
  });

  it('bad input exits with code 2 naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['steady', 'mlp', '-f', '0'], /--freq/],
      [['steady', 'mlp', '-f', '-0.5'], /--freq/],
      [['steady', 'mlp', '-N', '1'], /--N/],
      [['steady', 'mlp', '-b', '0'], /--bs/],
      [['steady', 'mlp', '-e', '0'], /--epochs/],
      [['steady', 'cnn', '-c', '1.5'], /--corrupt/],
      [['steady', 'cnn', '-c', '-0.1'], /--corrupt/],
      [['steady', 'mlp', '--formulas', 'exact'], /--formulas/],
      [['steady', 'resnet'], /unknown command/],
    ];
    for (const [argv, pattern] of cases) {
      const err: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((c: string) => {
        err.push(String(c));
        return true;
      }) as typeof process.stderr.write;
      let code: number;
      try {
        code = await runCli(['--quiet', ...argv, '--out', join(tmpdir(), 'steady-never')]);
      } finally {
        process.stderr.write = write;
      }
      expect(code, argv.join(' ')).toBe(2);
      expect(err.join(''), argv.join(' ')).toMatch(pattern);
    }
  });
});
