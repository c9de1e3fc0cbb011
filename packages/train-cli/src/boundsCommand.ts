/**
 * `lipkit bounds`: local Lipschitz bounds of a network description over a sweep of ε (Avant & Morgansen 2023), with
 * lower bounds and the global bound, as a table, JSON lines, and (with `--out`) a JSON file and an SVG/PNG plot like
 * the original's figures.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ascentLowerBound,
  type BoundMode,
  globalLipschitzBound,
  type LocalBound,
  loadNetworkDescription,
  localLipschitzBound,
  networkForward,
  prepareNetwork,
  randomLowerBound,
  repoAscentLowerBoundCurve,
} from '@lipkit/lipschitz-bounds';
import type { Command } from 'commander';
import { atomicWriteFile } from './atomicWriteFile.js';
import { CliUsageError } from './cliErrors.js';
import { globalOptionsOf } from './globalOptions.js';
import { addImageInputOptions, imageNormalisationOf } from './imageInputOptions.js';
import { loadNetworkInput } from './networkInput.js';
import { startProgress } from './progressReporter.js';
import { lineChart } from './svgPlot.js';
import { writePlot } from './writePlot.js';

const MODES: BoundMode[] = ['repo', 'converged', 'certified'];
const LOWER_KINDS = ['random', 'ascent', 'repo-ascent'] as const;
type LowerKind = (typeof LOWER_KINDS)[number];

/** Parses `--eps`: a comma list (`0.1,0.5,1`) or `min:max:count` (evenly spaced, as the original's linspace). */
export function parseEpsList(text: string): number[] {
  const range = text.split(':');
  let values: number[];
  if (range.length === 3) {
    const [min, max, count] = range.map(Number) as [number, number, number];
    if (!Number.isInteger(count) || count < 1 || !(min >= 0) || !(max >= min)) {
      throw new CliUsageError('--eps', `bad range "${text}"; allowed: min:max:count with 0 ≤ min ≤ max, count ≥ 1`);
    }
    values = Array.from({ length: count }, (_, i) => (count === 1 ? min : min + ((max - min) * i) / (count - 1)));
  } else if (range.length === 1) {
    values = text.split(',').map((s) => Number(s.trim()));
  } else {
    throw new CliUsageError('--eps', `cannot parse "${text}"; allowed: a comma list or min:max:count`);
  }
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v < 0)) {
    throw new CliUsageError('--eps', `"${text}" has a value that is not a finite number ≥ 0`);
  }
  return values;
}

/** Parses `--mode`. */
export function parseBoundMode(text: string): BoundMode {
  if (!MODES.includes(text as BoundMode)) throw new CliUsageError('--mode', `"${text}"; allowed: ${MODES.join(', ')}`);
  return text as BoundMode;
}

function parseLower(text: string | undefined): LowerKind[] {
  if (!text) return [];
  const kinds = text.split(',').map((s) => s.trim());
  for (const k of kinds) {
    if (!(LOWER_KINDS as readonly string[]).includes(k)) {
      throw new CliUsageError('--lower', `"${k}"; allowed: ${LOWER_KINDS.join(', ')}`);
    }
  }
  return kinds as LowerKind[];
}

function parsePositiveInt(flag: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new CliUsageError(flag, `"${text}"; allowed: a positive integer`);
  return v;
}

/** One row of the sweep. */
interface BoundsRow {
  eps: number;
  local: number;
  localKind: LocalBound['kind'];
  random: number | null;
  ascent: number | null;
  repoAscent: number | null;
  layers: LocalBound['layers'];
}

function fmt(v: number | null): string {
  return v === null ? '—' : v.toPrecision(7);
}

/** Registers `lipkit bounds`. */
export function registerBoundsCommand(program: Command): void {
  const command = program
    .command('bounds')
    .description('local (and global) Lipschitz bounds of a network over a sweep of input perturbation sizes ε')
    .requiredOption('--net <file>', 'network description (docs/network-format.md): .json, .json.gz, or an .onnx model')
    .requiredOption(
      '--input <file>',
      'nominal input x0: a PNG/JPEG image (normalised with --mean/--std) or a {shape, data} JSON (already normalised)',
    );
  addImageInputOptions(command)
    .requiredOption('--eps <list>', 'ε values: a comma list or min:max:count')
    .option('--lower <kinds>', 'lower bounds: random, ascent (of the ratio), repo-ascent (the original logit-0 ascent)')
    .option('--mode <mode>', 'per-layer norms: repo (original parity), converged, certified (guaranteed)', 'certified')
    .option('--samples <n>', 'random lower bound: samples per ε', '10000')
    .option('--seed <n>', 'seed of the random lower bound and start vectors', '0')
    .option('--out <dir>', 'write bounds.json and bounds.svg/.png there')
    .action(async (opts: Record<string, string | undefined>, command: Command) => {
      const g = globalOptionsOf(command);
      const epsList = parseEpsList(opts.eps as string);
      const mode = parseBoundMode(opts.mode as string);
      const lower = parseLower(opts.lower);
      const samples = parsePositiveInt('--samples', opts.samples as string);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) throw new CliUsageError('--seed', `"${opts.seed}"; allowed: an integer`);
      const normalisation = imageNormalisationOf(opts);
      const net = prepareNetwork(await loadNetworkDescription(opts.net as string));
      const input = await loadNetworkInput(opts.input as string, net.shapes[0] as number[], normalisation);
      const x0 = input.data;
      const activations = networkForward(net, x0);
      const global = globalLipschitzBound(net, { mode, seed });
      // The original's logit-0 ascent gives the whole curve from one trajectory.
      const repoCurve = lower.includes('repo-ascent') ? repoAscentLowerBoundCurve(net, x0, epsList) : null;
      const progress = startProgress(g.mode, 'bounds', epsList.length, 'eps');
      const rows: BoundsRow[] = [];
      for (const [i, eps] of epsList.entries()) {
        const local = localLipschitzBound(net, x0, eps, { mode, seed, activations });
        const row: BoundsRow = {
          eps,
          local: local.value,
          localKind: local.kind,
          random: lower.includes('random') && eps > 0 ? randomLowerBound(net, x0, eps, { samples, seed }).value : null,
          ascent: lower.includes('ascent') && eps > 0 ? ascentLowerBound(net, x0, eps, { seed }).value : null,
          repoAscent: repoCurve ? (repoCurve[i]?.value ?? null) : null,
          layers: local.layers,
        };
        rows.push(row);
        if (g.mode === 'json') {
          const { layers, ...rest } = row;
          process.stdout.write(`${JSON.stringify({ event: 'bound', ...rest, layers })}\n`);
        }
        progress.update(i + 1, { local: local.value });
      }
      progress.stop();
      const summary = {
        net: opts.net,
        input: opts.input,
        ...(input.image ? { image: { ...input.image, ...normalisation } } : {}),
        mode,
        global: { value: global.value, kind: global.kind, layers: global.layers },
        rows,
      };
      if (g.mode === 'json') {
        process.stdout.write(`${JSON.stringify({ event: 'global', value: global.value, kind: global.kind })}\n`);
      } else {
        const head = ['eps', `local (${rows[0]?.localKind ?? 'upper bound'})`];
        if (lower.includes('random')) head.push('random (lower bound)');
        if (lower.includes('ascent')) head.push('ascent (lower bound)');
        if (lower.includes('repo-ascent')) head.push('logit-0 ascent (lower bound)');
        process.stdout.write(`${head.join('\t')}\n`);
        for (const r of rows) {
          const cells = [r.eps.toPrecision(4), fmt(r.local)];
          if (lower.includes('random')) cells.push(fmt(r.random));
          if (lower.includes('ascent')) cells.push(fmt(r.ascent));
          if (lower.includes('repo-ascent')) cells.push(fmt(r.repoAscent));
          process.stdout.write(`${cells.join('\t')}\n`);
        }
        process.stdout.write(`global (${global.kind}): ${global.value.toPrecision(7)}\n`);
      }
      if (opts.out) {
        await mkdir(opts.out, { recursive: true });
        await atomicWriteFile(join(opts.out, 'bounds.json'), `${JSON.stringify(summary, null, 1)}\n`);
        const xs = rows.map((r) => r.eps);
        const series = [{ name: `local (${rows[0]?.localKind ?? ''})`, x: xs, y: rows.map((r) => r.local) }];
        if (lower.includes('ascent')) {
          series.push({ name: 'ascent (lower bound)', x: xs, y: rows.map((r) => r.ascent ?? Number.NaN) });
        }
        if (lower.includes('repo-ascent')) {
          series.push({ name: 'logit-0 ascent (lower bound)', x: xs, y: rows.map((r) => r.repoAscent ?? Number.NaN) });
        }
        if (lower.includes('random')) {
          series.push({ name: 'random (lower bound)', x: xs, y: rows.map((r) => r.random ?? Number.NaN) });
        }
        const svg = lineChart({
          title: `Lipschitz bounds (${mode})`,
          xLabel: 'input perturbation size ε',
          yLabel: 'Lipschitz bound',
          series: series.map((s, i) => ({ ...s, dashed: i > 0 })),
          referenceLines: [{ y: global.value, label: `global (${global.kind})` }],
        });
        const written = await writePlot(opts.out, 'bounds', svg);
        if (g.mode === 'bar') process.stderr.write(`wrote ${[join(opts.out, 'bounds.json'), ...written].join(', ')}\n`);
      }
    });
}
