/**
 * `lipkit compare`: global ℓ2 Lipschitz constants of one network by several methods (product of norms, AutoLip,
 * SeqLip, LipSDP forms, ECLipsE-Fast, the exact oracle, a sampled lower bound), each labelled upper / lower / exact /
 * estimate, as a table, JSON lines, and (with `--out`) a JSON file and an SVG/PNG bar chart.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ComparisonMethod,
  type ComparisonRow,
  compareLipschitzMethods,
  comparisonMethods,
  defaultComparisonMethods,
  loadNetworkDescription,
  prepareNetwork,
} from '@lipkit/lipschitz-bounds';
import type { Command } from 'commander';
import { atomicWriteFile } from './atomicWriteFile.js';
import { CliUsageError } from './cliErrors.js';
import { globalOptionsOf } from './globalOptions.js';
import { startProgress } from './progressReporter.js';
import { barChart } from './svgPlot.js';
import { writePlot } from './writePlot.js';

/** Parses `--methods` (a comma list of {@link comparisonMethods}). */
export function parseComparisonMethods(text: string): ComparisonMethod[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw new CliUsageError('--methods', `empty; allowed: ${comparisonMethods.join(', ')}`);
  for (const n of names) {
    if (!(comparisonMethods as readonly string[]).includes(n)) {
      throw new CliUsageError('--methods', `unknown method "${n}"; allowed: ${comparisonMethods.join(', ')}`);
    }
  }
  return names as ComparisonMethod[];
}

function parseNumber(flag: string, text: string | undefined, integer: boolean, min: number): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min) {
    throw new CliUsageError(flag, `"${text}"; allowed: ${integer ? 'an integer' : 'a number'} ≥ ${min}`);
  }
  return v;
}

const KIND_COLORS: Record<ComparisonRow['kind'], string> = {
  upper: '#0072B2',
  lower: '#009E73',
  exact: '#000000',
  estimate: '#E69F00',
  'not applicable': '#999999',
};

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Registers `lipkit compare`. */
export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      'compare global l2 Lipschitz methods on one network (LipSDP with our own SDP solver, ECLipsE-Fast, SeqLip, AutoLip, exact oracle)',
    )
    .requiredOption('--net <file>', 'network description (docs/network-format.md), .json or .json.gz')
    .option('--methods <list>', `comma list of: ${comparisonMethods.join(', ')}`, defaultComparisonMethods.join(','))
    .option(
      '--split-size <n>',
      'LipSDP: split the weights into chunks of n matrices (≥ 1) and multiply the chunk bounds',
    )
    .option('--alpha <x>', 'LipSDP: lower slope bound of the activation', '0')
    .option('--beta <x>', 'LipSDP: upper slope bound of the activation', '1')
    .option('--samples <n>', 'inputs of the sampled Jacobian lower bound', '2000')
    .option('--seed <n>', 'seed (network-rand pairs, lower-bound samples)', '0')
    .option('--out <dir>', 'write compare.json and compare.svg/.png there')
    .action(async (opts: Record<string, string | undefined>, command: Command) => {
      const g = globalOptionsOf(command);
      const methods = parseComparisonMethods(opts.methods as string);
      const splitSize = parseNumber('--split-size', opts.splitSize, true, 1);
      const alpha = Number(opts.alpha);
      const beta = Number(opts.beta);
      if (!Number.isFinite(alpha)) throw new CliUsageError('--alpha', `"${opts.alpha}"; allowed: a finite number`);
      if (!Number.isFinite(beta) || beta < alpha) {
        throw new CliUsageError('--beta', `"${opts.beta}"; allowed: a finite number ≥ --alpha`);
      }
      const samples = parseNumber('--samples', opts.samples, true, 1);
      const seed = parseNumber('--seed', opts.seed, true, 0);
      const net = prepareNetwork(await loadNetworkDescription(opts.net as string));
      const progress = startProgress(g.mode, 'compare', methods.length, 'methods');
      const rows = compareLipschitzMethods(net, {
        methods,
        splitSize,
        alpha,
        beta,
        samples,
        seed,
        onProgress: (done, _total, method) => progress.update(done, { method }),
      });
      progress.stop();
      if (g.mode === 'json') {
        for (const r of rows) process.stdout.write(`${JSON.stringify({ event: 'method', ...r })}\n`);
      } else {
        const table = [
          ['method', 'kind', 'value', 'time', 'note'],
          ...rows.map((r) => [
            r.method,
            r.kind,
            r.value === null ? '—' : r.value.toPrecision(7),
            formatMs(r.timeMs),
            r.note,
          ]),
        ];
        const widths = [0, 1, 2, 3].map((c) => Math.max(...table.map((row) => row[c]!.length)));
        for (const row of table) {
          process.stdout.write(`${row.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell)).join('  ')}\n`);
        }
        process.stdout.write(
          'kinds: upper = guaranteed upper bound, lower = guaranteed lower bound, exact = the true constant, estimate = neither (see note)\n',
        );
      }
      if (opts.out) {
        await mkdir(opts.out, { recursive: true });
        const summary = { net: opts.net, methods, splitSize: splitSize ?? null, alpha, beta, rows };
        await atomicWriteFile(join(opts.out, 'compare.json'), `${JSON.stringify(summary, null, 1)}\n`);
        const svg = barChart({
          title: 'Global l2 Lipschitz constant by method',
          yLabel: 'Lipschitz value',
          logY: rows.some((r) => r.value !== null && r.value > 0) && rows.every((r) => r.value === null || r.value > 0),
          bars: rows.map((r) => ({
            label: r.method,
            value: r.value ?? Number.NaN,
            color: KIND_COLORS[r.kind],
            note: r.kind === 'not applicable' ? 'n/a' : r.kind,
          })),
        });
        const written = await writePlot(opts.out, 'compare', svg);
        if (g.mode === 'bar')
          process.stderr.write(`wrote ${[join(opts.out, 'compare.json'), ...written].join(', ')}\n`);
      }
    });
}
