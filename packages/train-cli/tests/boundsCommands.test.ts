import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/index.js';

const fixtures = fileURLToPath(new URL('../../lipschitz-bounds/fixtures/', import.meta.url));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
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
  const code = await runCli(args);
  vi.restoreAllMocks();
  return { code, out, err };
}

afterEach(() => vi.restoreAllMocks());

describe('lipkit bounds', () => {
  it('prints the tiny curve as JSON lines and writes bounds.json and the plot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lipkit-bounds-'));
    const { code, out } = await run([
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
    const a = await run([...base, '--eps', '1:0:5']);
    expect(a.code).toBe(2);
    expect(a.err).toContain('--eps');
    const b = await run([...base, '--eps', '1', '--mode', 'fast']);
    expect(b.code).toBe(2);
    expect(b.err).toContain('--mode');
    const c = await run([
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
    const { code, out } = await run([
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
