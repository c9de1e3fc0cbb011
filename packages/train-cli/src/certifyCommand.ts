/**
 * `lipkit certify`: certified adversarial radius per input (ε·L(x0, ε) < δ/√2, Avant & Morgansen 2023 Prop 6) and
 * the global radius δ/(√2·G), beside the ℓ2 norms of successful attacks (FGSM, I-FGSM, C&W), which are upper bounds
 * on the smallest class-changing perturbation.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  argmaxOf,
  carliniWagnerAttack,
  certifiedRadius,
  fgsmMinimalPerturbation,
  globalCertifiedRadius,
  globalLipschitzBound,
  iterativeFgsmAttack,
  loadNetworkDescription,
  logitGap,
  networkOutput,
  prepareNetwork,
} from '@lipkit/lipschitz-bounds';
import type { Command } from 'commander';
import { atomicWriteFile } from './atomicWriteFile.js';
import { parseBoundMode } from './boundsCommand.js';
import { CliUsageError } from './cliErrors.js';
import { globalOptionsOf } from './globalOptions.js';
import { addImageInputOptions, imageNormalisationOf } from './imageInputOptions.js';
import { loadNetworkInput } from './networkInput.js';
import { startProgress } from './progressReporter.js';

const ATTACKS = ['fgsm', 'ifgsm', 'cw'] as const;
type AttackName = (typeof ATTACKS)[number];

function parsePositive(flag: string, text: string): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) throw new CliUsageError(flag, `"${text}"; allowed: a number > 0`);
  return v;
}

function parseAttacks(text: string): AttackName[] {
  if (text === '' || text === 'none') return [];
  const names = text.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(ATTACKS as readonly string[]).includes(n))
      throw new CliUsageError('--attacks', `"${n}"; allowed: ${ATTACKS.join(', ')}, none`);
  }
  return names as AttackName[];
}

function parseBox(text: string | undefined): [number, number] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map(Number);
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !((parts[0] as number) < (parts[1] as number))) {
    throw new CliUsageError('--box', `"${text}"; allowed: min,max with min < max`);
  }
  return parts as [number, number];
}

/** Registers `lipkit certify`. */
export function registerCertifyCommand(program: Command): void {
  const command = program
    .command('certify')
    .description('certified adversarial radius per input, beside the perturbation norms of FGSM, I-FGSM and C&W')
    .requiredOption('--net <file>', 'network description (docs/network-format.md): .json, .json.gz, or an .onnx model')
    .requiredOption(
      '--input <files...>',
      'nominal inputs: PNG/JPEG images (normalised with --mean/--std) or {shape, data} JSON files (already normalised)',
    );
  addImageInputOptions(command)
    .option('--mode <mode>', 'local bound mode: certified (guaranteed), converged or repo (estimates)', 'certified')
    .option('--attacks <list>', 'attacks to run: fgsm,ifgsm,cw or none', 'fgsm,ifgsm,cw')
    .option('--tolerance <t>', 'relative bisection tolerance of the radius', '1e-3')
    .option('--ifgsm-step <h>', 'I-FGSM step (ℓ∞ per step)', '1e-4')
    .option('--ifgsm-steps <n>', 'I-FGSM maximum steps', '5000')
    .option('--cw-lr <lr>', 'C&W Adam learning rate', '1e-2')
    .option('--cw-iterations <n>', 'C&W iterations per binary-search step', '1000')
    .option('--box <min,max>', 'C&W input box in normalised units (default: x0 range ± 10)')
    .option('--out <dir>', 'write certify.json there')
    .action(async (opts: Record<string, string | string[] | undefined>, command: Command) => {
      const g = globalOptionsOf(command);
      const mode = parseBoundMode(opts.mode as string);
      const attacks = parseAttacks(opts.attacks as string);
      const tolerance = parsePositive('--tolerance', opts.tolerance as string);
      const ifgsmStep = parsePositive('--ifgsm-step', opts.ifgsmStep as string);
      const ifgsmSteps = Math.round(parsePositive('--ifgsm-steps', opts.ifgsmSteps as string));
      const cwLr = parsePositive('--cw-lr', opts.cwLr as string);
      const cwIterations = Math.round(parsePositive('--cw-iterations', opts.cwIterations as string));
      const box = parseBox(opts.box as string | undefined);
      const normalisation = imageNormalisationOf(opts);
      const net = prepareNetwork(await loadNetworkDescription(opts.net as string));
      const inputs = opts.input as string[];
      // Every input is loaded and checked before the (long) per-input work and its progress bar start.
      const x0s = [];
      for (const file of inputs)
        x0s.push((await loadNetworkInput(file, net.shapes[0] as number[], normalisation)).data);
      const global = globalLipschitzBound(net, { mode });
      const progress = startProgress(g.mode, 'certify', inputs.length, 'inputs');
      const results = [];
      for (const [i, file] of inputs.entries()) {
        const x0 = x0s[i] as Float64Array;
        const y0 = networkOutput(net, x0);
        const gap = logitGap(y0);
        const local = certifiedRadius(net, x0, { mode, relativeTolerance: tolerance });
        const attackNorms: Partial<Record<AttackName, number | null>> = {};
        for (const a of attacks) {
          const r =
            a === 'fgsm'
              ? fgsmMinimalPerturbation(net, x0)
              : a === 'ifgsm'
                ? iterativeFgsmAttack(net, x0, { stepSize: ifgsmStep, maxSteps: ifgsmSteps })
                : carliniWagnerAttack(net, x0, {
                    learningRate: cwLr,
                    maxIterations: cwIterations,
                    ...(box ? { box } : {}),
                  });
          attackNorms[a] = r.success ? r.perturbationNorm : null;
        }
        const row = {
          input: file,
          class: argmaxOf(y0),
          gap,
          localRadius: local.radius,
          localKind: local.kind,
          globalRadius: globalCertifiedRadius(gap, global.value),
          globalKind: global.kind === 'upper bound' ? 'certified lower bound' : 'estimate',
          attacks: attackNorms,
        };
        results.push(row);
        if (g.mode === 'json') process.stdout.write(`${JSON.stringify({ event: 'certify', ...row })}\n`);
        progress.update(i + 1);
      }
      progress.stop();
      if (g.mode !== 'json') {
        const head = ['input', 'class', 'gap', `local radius (${results[0]?.localKind})`, 'global radius'];
        head.push(...attacks.map((a) => `${a} ‖δ‖ (upper bound)`));
        process.stdout.write(`${head.join('\t')}\n`);
        for (const r of results) {
          const cells = [
            r.input,
            String(r.class),
            r.gap.toPrecision(5),
            r.localRadius.toPrecision(5),
            r.globalRadius.toPrecision(5),
          ];
          cells.push(
            ...attacks.map((a) => (r.attacks[a] == null ? 'failed' : (r.attacks[a] as number).toPrecision(5))),
          );
          process.stdout.write(`${cells.join('\t')}\n`);
        }
      }
      if (opts.out) {
        await mkdir(opts.out as string, { recursive: true });
        const path = join(opts.out as string, 'certify.json');
        await atomicWriteFile(
          path,
          `${JSON.stringify({ net: opts.net, mode, global: global.value, results }, null, 1)}\n`,
        );
      }
    });
}
