import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCaptured } from './captureOutput.js';

const fixtures = fileURLToPath(new URL('../../lipschitz-bounds/fixtures/', import.meta.url));

afterEach(() => vi.restoreAllMocks());

describe('lipkit compare', () => {
  it('compares methods on the tiny net as JSON lines and writes compare.json and the bar chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lipkit-compare-'));
    const { code, out } = await runCaptured([
      '--json',
      'compare',
      '--net',
      `${fixtures}tiny.json`,
      '--methods',
      'product,lipsdp-neuron,lipsdp-network,eclipse-fast,exact,jacobian-lower',
      '--samples',
      '200',
      '--out',
      dir,
    ]);
    expect(code).toBe(0);
    const rows = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.event === 'method');
    const by = Object.fromEntries(rows.map((r) => [r.method, r]));
    expect(by.exact.kind).toBe('exact');
    expect(by.exact.value).toBeCloseTo(9.101114, 5);
    expect(by['lipsdp-neuron'].kind).toBe('upper');
    expect(by['lipsdp-neuron'].value).toBeGreaterThanOrEqual(by.exact.value * (1 - 1e-9));
    expect(by['lipsdp-network'].kind).toBe('estimate');
    expect(by['lipsdp-network'].note).toMatch(/Pauli/);
    expect(by['jacobian-lower'].kind).toBe('lower');
    const saved = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8'));
    expect(saved.rows).toHaveLength(6);
    expect(readFileSync(join(dir, 'compare.svg'), 'utf8')).toContain('lipsdp-neuron');
  });

  it('prints a table that says why a method does not apply', async () => {
    const { code, out } = await runCaptured([
      '--quiet',
      'compare',
      '--net',
      `${fixtures}compnet.json`,
      '--methods',
      'lipsdp-neuron,exact',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/lipsdp-neuron\s+upper/);
    expect(out).toMatch(/exact\s+not applicable.*50 hidden neurons/);
  });

  it('maps bad flags and non-ReLU networks for LipSDP to exit code 2 or a not-applicable row', async () => {
    expect((await runCaptured(['compare', '--net', `${fixtures}tiny.json`, '--methods', 'lipmip'])).code).toBe(2);
    expect((await runCaptured(['compare', '--net', `${fixtures}tiny.json`, '--split-size', '0'])).code).toBe(2);
    const bad = join(mkdtempSync(join(tmpdir(), 'lipkit-compare-')), 'bad.json');
    writeFileSync(bad, '{"format": "lipkit-network"}');
    expect((await runCaptured(['compare', '--net', bad])).code).toBe(2);
    const { out } = await runCaptured([
      '--quiet',
      'compare',
      '--net',
      `${fixtures}mnist-lenet.json`,
      '--methods',
      'lipsdp-neuron',
    ]);
    expect(out).toMatch(/lipsdp-neuron\s+not applicable.*maxpool2d/);
  });
});
