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

describe('constrained-model example', () => {
  it('trains, projects, and ends inside the constraint set', () => {
    const { result } = runExample();
    const layers = result.layers as { lip: number; lipCond: number; dist: number; distCond: number }[];
    expect(layers).toHaveLength(2);
    for (const l of layers) {
      expect(l.lip).toBeLessThanOrEqual(l.lipCond * (1 + 1e-6));
      expect(l.dist).toBeLessThanOrEqual(l.distCond * (1 + 1e-6));
      expect(l.dist).toBeGreaterThan(0); // training moved the weights
    }
    expect(result.accuracy as number).toBeGreaterThan(0.6);
  });
});
