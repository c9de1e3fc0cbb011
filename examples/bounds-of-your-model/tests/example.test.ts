import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs the example exactly as `pnpm start` does and returns its stdout plus the JSON of its last line. */
function runExample(): { stdout: string; result: Record<string, unknown> } {
  const stdout = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), ['src/main.ts'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return { stdout, result: JSON.parse(last.replace(/^result: /, '')) };
}

interface Bounds {
  global: number;
  local: number;
  lower: number;
  kind: string;
}

describe('bounds-of-your-model example', () => {
  it('orders lower ≤ local ≤ global for the JSON network and the converted tfjs model', () => {
    const { result } = runExample();
    const json = result.json as Bounds;
    const tfjs = result.tfjs as Bounds & { conversionError: number; radius: number; radiusKind: string };
    for (const b of [json, tfjs]) {
      expect(b.kind).toBe('upper bound');
      expect(b.lower).toBeGreaterThan(0);
      expect(b.lower).toBeLessThanOrEqual(b.local);
      expect(b.local).toBeLessThanOrEqual(b.global);
    }
    expect(tfjs.conversionError).toBeLessThan(1e-5);
    expect(tfjs.radiusKind).toBe('certified lower bound');
    expect(tfjs.radius).toBeGreaterThan(0);
  });
});
