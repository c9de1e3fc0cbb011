import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageSplit } from '@lipkit/datasets';
import { describe, expect, it } from 'vitest';
import { parseQuickstartOptions, zeroPadSplit } from '../src/index.js';
import { runCaptured, temporaryDirectories } from './captureOutput.js';

const tempDir = temporaryDirectories('lipkit-quickstart-');

const LABELS = new Set(['upper bound', 'lower bound', 'estimate', 'certified lower bound']);

/** Every `{ value, kind }` object in the report, with its JSON path. */
function labelledValues(node: unknown, path = '$'): { path: string; value: unknown; kind: unknown }[] {
  if (node === null || typeof node !== 'object') return [];
  const here =
    'value' in node || 'kind' in node
      ? [{ path, value: (node as { value?: unknown }).value, kind: (node as { kind?: unknown }).kind }]
      : [];
  return [
    ...here,
    ...Object.entries(node).flatMap(([k, v]) => (k === 'value' ? [] : labelledValues(v, `${path}.${k}`))),
  ];
}

describe('lipkit quickstart', () => {
  it('writes a complete, labelled, consistent report folder on a tiny run', async () => {
    const out = join(tempDir(), 'report');
    const args = ['--backend', 'cpu', '--json', 'quickstart', '--epochs', '1', '--train-size', '96'];
    const {
      code,
      out: stdout,
      err,
    } = await runCaptured([
      ...args,
      ...['--images', '1', '--channels', '2', '--eps', '0.1,1', '--seed', '3', '--out', out],
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const stages = events.filter((e) => e.event === 'stage').map((e) => e.text as string);
    for (const k of [1, 2, 3, 4]) expect(stages.some((t) => t.startsWith(`stage ${k}/4`))).toBe(true);
    expect(events.some((e) => e.event === 'progress' && e.task === 'bounds')).toBe(true);
    // Stage 1: the embedded subset's info as one JSON object.
    const data = events.find((e) => e.event === 'quickstart-data');
    expect(data.measured[1]).toMatchObject({ split: 'test', classCounts: new Array(10).fill(50) });
    expect(Math.abs(data.measured[0].mean[0] - 0.286)).toBeLessThan(0.02);
    const done = events.at(-1);
    expect(done.event).toBe('quickstart');
    expect(done.out).toBe(out);

    const files = readdirSync(out);
    for (const name of ['training-curves', 'layers-vs-constraints', 'lipschitz-vs-eps', 'bias-trajectory']) {
      expect(readFileSync(join(out, `${name}.svg`), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      expect(
        readFileSync(join(out, `${name}.png`))
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
    }
    expect(files).toEqual(expect.arrayContaining(['report.json', 'report.md', 'run']));
    const run_ = readdirSync(join(out, 'run'));
    expect(run_).toEqual(expect.arrayContaining(['checkpoint.lkc', 'log.json', 'args.json']));
    expect(run_.some((f) => f.startsWith('events.out.tfevents.'))).toBe(true);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const link of [...md.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1] as string)) {
      expect(existsSync(join(out, link)), link).toBe(true);
    }

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    // Every number that is a bound or estimate carries a label from the fixed set.
    const labelled = labelledValues(report);
    expect(labelled.length).toBeGreaterThan(20);
    for (const v of labelled) {
      expect(LABELS.has(v.kind as string), `${v.path}.kind = ${String(v.kind)}`).toBe(true);
      // a labelled number, or a labelled series (the bias trajectory: every entry has the same label)
      if (v.path !== '$.biasTrajectory') expect(typeof v.value, v.path).toBe('number');
    }
    expect(report.biasTrajectory.kind).toBe('estimate');
    expect(Object.keys(report.capacity.rademacher)).toHaveLength(12);
    for (const b of Object.values(report.capacity.rademacher) as { value: number; kind: string }[]) {
      expect(b.kind).toBe('upper bound');
      expect(b.value).toBeGreaterThan(0);
    }
    // Upper bounds ≥ lower bounds, per image and ε; the global bound dominates every attained ratio.
    expect(report.bounds.global.kind).toBe('upper bound');
    expect(report.bounds.images).toHaveLength(1);
    for (const im of report.bounds.images) {
      expect(im.rows.map((r: { eps: number }) => r.eps)).toEqual([0.1, 1]);
      for (const r of im.rows) {
        expect(r.local.kind).toBe('upper bound');
        expect(r.random.kind).toBe('lower bound');
        expect(r.ascent.kind).toBe('lower bound');
        expect(r.ascent.value).toBeGreaterThan(0);
        expect(r.local.value).toBeGreaterThanOrEqual(Math.max(r.random.value, r.ascent.value));
        expect(report.bounds.global.value).toBeGreaterThanOrEqual(Math.max(r.random.value, r.ascent.value));
      }
      expect(im.localRadius.kind).toBe('certified lower bound');
      // Prop 6 at the radius: ε·L(x0, ε) < δ/√2 with a bound L ≥ the ascent ratio, so the gap cannot flip before it.
      expect(im.localRadius.value).toBeGreaterThan(0);
      expect(im.globalRadius.value).toBeCloseTo(im.gap / (Math.SQRT2 * report.bounds.global.value), 12);
    }
    // Constraints hold after the final projection ('feasible' projections), for every constrained layer.
    expect(report.layers.map((l: { layer: string }) => l.layer)).toEqual([
      'conv1',
      'conv2',
      'conv3',
      'conv4',
      'conv5',
      'classifier',
    ]);
    for (const l of report.layers) {
      expect(l.satisfied).toBe(true);
      expect(l.lipschitz.value).toBeLessThanOrEqual(l.lipschitzLimit * (1 + 1e-6));
      expect(l.distance.value).toBeLessThanOrEqual(l.distanceLimit * (1 + 1e-6));
    }
    // Training and trajectory: one record per step, the recorder's distances start at 0.
    expect(report.training.steps).toBe(2);
    expect(report.training.stepLoss).toHaveLength(2);
    expect(report.biasTrajectory.steps).toEqual([1, 2]);
    expect(report.biasTrajectory.distanceFromFirstStep[0]).toBe(0);
    expect(report.biasTrajectory.distanceFromFirstStep[1]).toBeGreaterThan(0);
    expect(report.timing.cpuSeconds).toBeGreaterThan(0);
  }, 120_000); // ~10 s of CPU; the margin is for a machine shared with other jobs

  it('shows progress and the data table, then the summary table and where the report is', async () => {
    const out = join(tempDir(), 'bar');
    const flags = ['--epochs', '1', '--train-size', '32', '--images', '1', '--channels', '1', '--eps', '1'];
    const { code, out: stdout, err } = await runCaptured(['--backend', 'cpu', 'quickstart', ...flags, '--out', out]);
    expect(code).toBe(0);
    expect(err).toMatch(/^stage 1\/4: data/m);
    expect(err).toMatch(/^stage 4\/4: /m);
    expect(err).toMatch(/^epoch 1\/1 0% 0\/\d+ img \| – img\/s \| ETA –$/m); // stderr is not a terminal: plain lines
    expect(stdout).toMatch(/images \(train \/ test\) +2000 \/ 500/);
    expect(stdout).toMatch(/train images per class +200 200 200 200 200 200 200 200 200 200/);
    expect(stdout).toMatch(/global Lipschitz bound +[\d.e+-]+ +upper bound/);
    expect(stdout).toMatch(/#0 certified radius +[\d.e+-]+ +certified lower bound/);
    expect(stdout).toContain(`report: ${join(out, 'report.md')}`);
  }, 120_000);

  it('rejects bad flags with exit code 2 naming the flag, before writing anything', async () => {
    const out = join(tempDir(), 'never');
    for (const [flag, value] of [
      ['--epochs', '0'],
      ['--train-size', '1.5'],
      ['--train-size', '2001'],
      ['--images', '501'],
      ['--seed', '-1'],
      ['--channels', 'x'],
      ['--eps', '0.1,abc'],
      ['--eps', '0,1'],
    ] as const) {
      const { code, err } = await runCaptured(['--quiet', 'quickstart', flag, value, '--out', out]);
      expect(code, `${flag} ${value}`).toBe(2);
      expect(err).toContain(`${flag}:`);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('parses defaults and refuses a report folder that already holds a run', () => {
    const o = parseQuickstartOptions({}, 2000, 500, new Date('2026-11-23T09:30:01.123Z'));
    expect(o).toEqual({
      epochs: 4,
      trainSize: 2000,
      images: 4,
      seed: 0,
      channels: 8,
      eps: [0.01, 0.1, 0.5, 2, 10],
      out: join('lipkit-runs', 'quickstart-2026-11-23T09-30-01Z'),
    });
    const taken = tempDir();
    const runDir = join(taken, 'run');
    mkdirSync(runDir);
    writeFileSync(join(runDir, 'checkpoint.lkc'), '');
    expect(() => parseQuickstartOptions({ out: taken }, 2000, 500)).toThrow(/--out: .*already holds/);
  });

  it('zero-pads every image on every side (brute-force check)', () => {
    const split: ImageSplit = {
      pixels: Uint8Array.from({ length: 2 * 2 * 3 * 2 }, (_, i) => i + 1),
      labels: Int32Array.from([4, 7]),
      count: 2,
      height: 2,
      width: 3,
      channels: 2,
    };
    const p = zeroPadSplit(split, 2);
    expect([p.height, p.width, p.channels, p.count]).toEqual([6, 7, 2, 2]);
    for (let n = 0; n < 2; n++) {
      for (let y = 0; y < 6; y++) {
        for (let x = 0; x < 7; x++) {
          for (let c = 0; c < 2; c++) {
            const inside = y >= 2 && y < 4 && x >= 2 && x < 5;
            const expected = inside ? (split.pixels[((n * 2 + y - 2) * 3 + x - 2) * 2 + c] as number) : 0;
            expect(p.pixels[((n * 6 + y) * 7 + x) * 2 + c]).toBe(expected);
          }
        }
      }
    }
    expect(Array.from(p.labels)).toEqual([4, 7]);
  });
});
