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

interface EpochReport {
  loss: number;
  trajectory: number;
  maxStep: number;
  variance: number;
  distance: number;
  steps: number;
}

describe('record-trajectories example', () => {
  it('records every step and the steps respect the ‖w₂‖ bound', () => {
    const { result } = runExample();
    const epochs = result.epochs as EpochReport[];
    const maxW2Norm = result.maxW2Norm as number;
    expect(epochs).toHaveLength(6);
    for (const e of epochs) {
      expect(e.steps).toBe(64);
      expect(e.trajectory).toBeGreaterThan(0);
      expect(e.maxStep).toBeLessThanOrEqual(maxW2Norm * (1 + 1e-3));
      expect(Number.isFinite(e.variance) && e.variance > 0).toBe(true);
      expect(e.distance).toBeGreaterThan(0);
    }
    expect((epochs.at(-1) as EpochReport).loss).toBeLessThan((epochs[0] as EpochReport).loss);
  });
});
