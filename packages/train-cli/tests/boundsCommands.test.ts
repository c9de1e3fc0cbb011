import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCaptured } from './captureOutput.js';
import { COLOR, rawPng } from './rawPng.js';
import { seedImage } from './seedImages.js';

const fixtures = fileURLToPath(new URL('../../lipschitz-bounds/fixtures/', import.meta.url));

afterEach(() => vi.restoreAllMocks());

describe('lipkit bounds', () => {
  it('prints the tiny curve as JSON lines and writes bounds.json and the plot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lipkit-bounds-'));
    const { code, out } = await runCaptured([
      '--json',
      'bounds',
      '--net',
      `${fixtures}tiny.json`,
      '--input',
      `${fixtures}tiny-x0.json`,
      '--eps',
      '0.1,10',
      '--lower',
      'random,ascent',
      '--samples',
      '500',
      '--out',
      dir,
    ]);
    expect(code).toBe(0);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const bounds = events.filter((e) => e.event === 'bound');
    expect(bounds.map((b) => b.local)).toEqual([expect.closeTo(7.538264, 5), expect.closeTo(8.561141, 5)]);
    expect(bounds[0].localKind).toBe('upper bound');
    for (const b of bounds) expect(b.random).toBeLessThanOrEqual(b.local);
    expect(events.find((e) => e.event === 'global').value).toBeCloseTo(9.101114, 5);
    const saved = JSON.parse(readFileSync(join(dir, 'bounds.json'), 'utf8'));
    expect(saved.rows).toHaveLength(2);
    expect(readFileSync(join(dir, 'bounds.svg'), 'utf8')).toContain('<svg');
  });

  it('rejects a bad --eps or --mode with exit code 2', async () => {
    const base = ['bounds', '--net', `${fixtures}tiny.json`, '--input', `${fixtures}tiny-x0.json`];
    const a = await runCaptured([...base, '--eps', '1:0:5']);
    expect(a.code).toBe(2);
    expect(a.err).toContain('--eps');
    const b = await runCaptured([...base, '--eps', '1', '--mode', 'fast']);
    expect(b.code).toBe(2);
    expect(b.err).toContain('--mode');
    const c = await runCaptured([
      'bounds',
      '--net',
      `${fixtures}tiny-x0.json`,
      '--input',
      `${fixtures}tiny-x0.json`,
      '--eps',
      '1',
    ]);
    expect(c.code).toBe(2);
    expect(c.err).toContain('format');
  });
});

describe('lipkit certify', () => {
  it('reports a certified radius below the attacks on the tiny network', async () => {
    const { code, out } = await runCaptured([
      '--json',
      'certify',
      '--net',
      `${fixtures}tiny.json`,
      '--input',
      `${fixtures}tiny-x0.json`,
      '--attacks',
      'fgsm,ifgsm,cw',
      '--ifgsm-step',
      '1e-3',
      '--cw-iterations',
      '200',
    ]);
    expect(code).toBe(0);
    const row = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.event === 'certify');
    expect(row.localKind).toBe('certified lower bound');
    expect(row.localRadius).toBeGreaterThan(0);
    expect(row.localRadius).toBeGreaterThanOrEqual(row.globalRadius * 0.999);
    for (const norm of Object.values(row.attacks))
      if (norm !== null) expect(norm).toBeGreaterThanOrEqual(row.localRadius);
  });
});

describe('image inputs (--input digit.png --mean --std)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lipkit-image-'));
  const digit = seedImage(`${fixtures}mnist-8-x0.json`, [0.1307], [0.3081]);
  writeFileSync(join(dir, 'digit.png'), digit.png);
  // The same pixels as a {shape, data} input normalised in float64, and 2×-replicated to 56×56 for --resize.
  const equivalent = { shape: [1, 28, 28], data: [...digit.samples].map((v) => (v / 255 - 0.1307) / 0.3081) };
  writeFileSync(join(dir, 'digit.json'), JSON.stringify(equivalent));
  const big = new Uint8Array(56 * 56).map(
    (_, i) => digit.samples[(((i / 56) >> 1) * 28 + ((i % 56) >> 1)) | 0] as number,
  );
  writeFileSync(join(dir, 'digit56.png'), rawPng({ width: 56, height: 56, color: COLOR.gray, depth: 8, samples: big }));
  writeFileSync(
    join(dir, 'small.png'),
    rawPng({ width: 5, height: 4, color: COLOR.gray, depth: 8, samples: new Uint8Array(20) }),
  );
  const net = `${fixtures}mnist-lenet.json`;
  const norm = ['--mean', '0.1307', '--std', '0.3081'];

  async function bounds(input: string, extra: string[] = []) {
    const { code, out, err } = await runCaptured([
      '--json',
      'bounds',
      '--net',
      net,
      '--input',
      input,
      '--eps',
      '0.5,2',
      '--mode',
      'converged',
      ...extra,
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    return {
      local: events.filter((e) => e.event === 'bound').map((e) => e.local as number),
      global: events.find((e) => e.event === 'global').value as number,
    };
  }

  it('lipkit bounds on the MNIST digit PNG equals the equivalent JSON input, and --resize of a 2× copy too', async () => {
    const fromPng = await bounds(join(dir, 'digit.png'), norm);
    expect(fromPng).toEqual(await bounds(join(dir, 'digit.json')));
    expect(fromPng).toEqual(await bounds(join(dir, 'digit56.png'), [...norm, '--resize']));
    // The repository's float32 fixture of the same digit agrees to float32 precision.
    const fixture = await bounds(`${fixtures}mnist-8-x0.json`);
    for (const [i, v] of fixture.local.entries())
      expect(Math.abs((fromPng.local[i] as number) - v)).toBeLessThan(1e-6 * v);
    expect(fromPng.local[0]).toBeGreaterThan(0);
  });

  it('rejects another image size, and --mean with a JSON input, with exit code 2', async () => {
    const a = await runCaptured(['bounds', '--net', net, '--input', join(dir, 'small.png'), '--eps', '1', ...norm]);
    expect(a.code).toBe(2);
    expect(a.err).toContain('--input');
    expect(a.err).toContain('5×4');
    expect(a.err).toContain('28×28');
    const b = await runCaptured(['bounds', '--net', net, '--input', join(dir, 'digit.json'), '--eps', '1', ...norm]);
    expect(b.code).toBe(2);
    expect(b.err).toContain('--mean: applies to image inputs only');
    const c = await runCaptured([
      'bounds',
      '--net',
      net,
      '--input',
      join(dir, 'digit.png'),
      '--eps',
      '1',
      '--std',
      '0.1,0.2',
    ]);
    expect(c.code).toBe(2);
    expect(c.err).toContain('--std: has 2 values');
    // certify checks every input before the per-input work starts.
    const d = await runCaptured([
      '--json',
      'certify',
      '--net',
      net,
      '--input',
      join(dir, 'digit.png'),
      join(dir, 'small.png'),
    ]);
    expect(d.code).toBe(2);
    expect(d.out).not.toContain('"certify"');
  });

  it('lipkit certify takes the PNG like the JSON', async () => {
    const certify = async (input: string, extra: string[] = []) => {
      const { code, out } = await runCaptured([
        '--json',
        'certify',
        '--net',
        net,
        '--input',
        input,
        '--mode',
        'converged',
        '--attacks',
        'fgsm',
        '--tolerance',
        '1e-2',
        ...extra,
      ]);
      expect(code).toBe(0);
      const { input: _file, ...row } = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((e) => e.event === 'certify');
      return row;
    };
    const fromPng = await certify(join(dir, 'digit.png'), norm);
    expect(fromPng.class).toBe(8);
    expect(fromPng).toEqual(await certify(join(dir, 'digit.json')));
  });
});
