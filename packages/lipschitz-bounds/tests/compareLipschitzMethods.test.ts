import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compareLipschitzMethods,
  comparisonMethods,
  LipschitzBoundsError,
  type NetworkDescription,
} from '../src/index.js';
import { chainToDescription, randomReluChain } from './randomReluChain.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

describe('compareLipschitzMethods', () => {
  it('on random tiny nets: every upper ≥ exact ≥ every lower, every method labelled', () => {
    for (let seed = 0; seed < 6; seed++) {
      const net = chainToDescription(randomReluChain([2, 4, 3, 2], 300 + seed));
      const rows = compareLipschitzMethods(net, { methods: comparisonMethods, samples: 300 });
      expect(rows.map((r) => r.method)).toEqual([...comparisonMethods]);
      const exact = rows.find((r) => r.kind === 'exact')!.value!;
      for (const r of rows) {
        expect(r.kind).not.toBe('not applicable');
        if (r.kind === 'upper') expect(r.value!).toBeGreaterThanOrEqual(exact * (1 - 1e-9));
        if (r.kind === 'lower') expect(r.value!).toBeLessThanOrEqual(exact * (1 + 1e-12));
      }
      for (const m of ['lipsdp-network', 'lipsdp-network-rand', 'lipsdp-network-dec-vars']) {
        expect(rows.find((r) => r.method === m)!.kind).toBe('estimate');
      }
    }
  });

  it('on compnet says why the exact oracle does not apply and runs the rest', () => {
    const rows = compareLipschitzMethods(fixture('compnet.json') as NetworkDescription, {
      methods: ['product', 'lipsdp-neuron', 'eclipse-fast', 'exact', 'jacobian-lower'],
    });
    const byMethod = Object.fromEntries(rows.map((r) => [r.method, r]));
    expect(byMethod.exact!.kind).toBe('not applicable');
    expect(byMethod.exact!.note).toMatch(/50 hidden neurons/);
    expect(byMethod['lipsdp-neuron']!.kind).toBe('upper');
    expect(byMethod['lipsdp-neuron']!.value!).toBeLessThan(byMethod['eclipse-fast']!.value!);
    expect(byMethod['lipsdp-neuron']!.value!).toBeGreaterThan(byMethod['jacobian-lower']!.value!);
    expect(byMethod['eclipse-fast']!.value!).toBeLessThan(byMethod.product!.value!);
  });

  it('on the LeNet (max pooling) runs the product bound and explains the others', () => {
    const rows = compareLipschitzMethods(fixture('mnist-lenet.json') as NetworkDescription, {
      methods: ['product', 'lipsdp-neuron', 'seqlip', 'exact'],
    });
    expect(rows[0]!.kind).toBe('upper');
    for (const r of rows.slice(1)) {
      expect(r.kind).toBe('not applicable');
      expect(r.note).toMatch(/feed-forward ReLU network, but layers\[2\] is maxpool2d/);
    }
  });

  it('refuses SDPs that would run for hours, with the sizes', () => {
    const net = chainToDescription(randomReluChain([4, 60, 60, 2], 1));
    const [row] = compareLipschitzMethods(net, { methods: ['lipsdp-network'] });
    expect(row!.kind).toBe('not applicable');
    expect(row!.note).toMatch(/7261 variables/);
  });

  it('rejects unknown methods and bad split sizes', () => {
    const net = chainToDescription(randomReluChain([2, 3, 1], 1));
    expect(() => compareLipschitzMethods(net, { methods: ['lipmip' as never] })).toThrow(LipschitzBoundsError);
    expect(() => compareLipschitzMethods(net, { splitSize: 0 })).toThrow(/splitSize/);
  });
});
