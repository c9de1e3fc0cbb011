/**
 * Runs several global ℓ2 Lipschitz methods on one network and returns one labelled row per method: the comparison of
 * spec §8 without MATLAB, MOSEK, Gurobi or Python. Methods that do not apply to the network (or would run for hours)
 * return a row with kind `not applicable` and the reason, instead of running.
 */
import { type AffineReluChain, affineReluChain } from './affineReluChain.js';
import { eclipseFast } from './eclipseFast.js';
import { exactReluLipschitz } from './exactReluLipschitz.js';
import { globalLipschitzBound } from './globalLipschitzBound.js';
import { type LipSdpForm, lipSdp } from './lipSdp.js';
import { LipschitzBoundsError } from './lipschitzBoundsError.js';
import type { NetworkDescription } from './networkDescription.js';
import { type PreparedNetwork, prepareNetwork } from './preparedNetwork.js';
import { sampledJacobianLowerBound } from './sampledJacobianLowerBound.js';
import { autoLip, seqLip } from './seqLip.js';
import type { ValidatedNetwork } from './validateNetworkDescription.js';

/** Method names accepted by {@link compareLipschitzMethods} (and `lipkit compare --methods`). */
export const comparisonMethods = [
  'product',
  'autolip',
  'seqlip',
  'lipsdp-neuron',
  'lipsdp-layer',
  'lipsdp-network',
  'lipsdp-network-rand',
  'lipsdp-network-dec-vars',
  'eclipse-fast',
  'exact',
  'jacobian-lower',
] as const;

/** One of {@link comparisonMethods}. */
export type ComparisonMethod = (typeof comparisonMethods)[number];

/** The default method list (the list plus the sampled lower bound). */
export const defaultComparisonMethods: readonly ComparisonMethod[] = [
  'product',
  'autolip',
  'seqlip',
  'lipsdp-neuron',
  'lipsdp-layer',
  'lipsdp-network',
  'eclipse-fast',
  'exact',
  'jacobian-lower',
];

/** How a number may be used. */
export type ComparisonKind = 'upper' | 'lower' | 'exact' | 'estimate' | 'not applicable';

/** One method's outcome. */
export interface ComparisonRow {
  method: ComparisonMethod;
  kind: ComparisonKind;
  /** The global ℓ2 Lipschitz value (null when not applicable). */
  value: number | null;
  timeMs: number;
  /** Why a value is an estimate or why the method does not apply; details otherwise. */
  note: string;
}

/** Options of {@link compareLipschitzMethods}. */
export interface CompareOptions {
  methods?: readonly ComparisonMethod[];
  /** LipSDP `split` with this chunk size (≥ 1); default: no split. */
  splitSize?: number;
  /** LipSDP slope bounds. Defaults 0, 1. */
  alpha?: number;
  beta?: number;
  /** Seed (network-rand pairs, sampled lower bound). Default 0. */
  seed?: number;
  /** Samples of the Jacobian lower bound. Default 2000. */
  samples?: number;
  /** Largest SDP accepted: Schur complement order (scalar variables). Default 3000 (≈ minutes). */
  maxSdpVariables?: number;
  /** Largest LMI order accepted. Default 1500. */
  maxLmiSize?: number;
  /** Largest number of hidden neurons for the exact oracle. Default 40. */
  maxExactHiddenNeurons?: number;
  /** Called after each method. */
  onProgress?: (done: number, total: number, method: ComparisonMethod) => void;
}

const LIPSDP_FORMS: Record<string, LipSdpForm> = {
  'lipsdp-neuron': 'neuron',
  'lipsdp-layer': 'layer',
  'lipsdp-network': 'network',
  'lipsdp-network-rand': 'network-rand',
  'lipsdp-network-dec-vars': 'network-dec-vars',
};

/**
 * Compares global ℓ2 Lipschitz methods on one network (see the file comment).
 * @throws LipschitzBoundsError for an unknown method name (`methods`), a split size < 1 (`splitSize`), or a malformed
 *   network description.
 */
export function compareLipschitzMethods(
  network: NetworkDescription | ValidatedNetwork | PreparedNetwork,
  options: CompareOptions = {},
): ComparisonRow[] {
  const methods = options.methods ?? defaultComparisonMethods;
  for (const m of methods) {
    if (!(comparisonMethods as readonly string[]).includes(m)) {
      throw new LipschitzBoundsError('methods', `unknown method "${m}"; allowed: ${comparisonMethods.join(', ')}`);
    }
  }
  if (options.splitSize !== undefined && !(Number.isInteger(options.splitSize) && options.splitSize >= 1)) {
    throw new LipschitzBoundsError('splitSize', `${options.splitSize}; allowed: an integer ≥ 1`);
  }
  const net: PreparedNetwork = 'layers' in network && 'sizes' in network ? network : prepareNetwork(network);
  let chain: AffineReluChain | null = null;
  let chainError = '';
  try {
    chain = affineReluChain(net, { method: 'this method' });
  } catch (e) {
    if (!(e instanceof LipschitzBoundsError)) throw e;
    chainError = e.message.replace(/^net: this method needs/, 'needs');
  }
  const maxVars = options.maxSdpVariables ?? 3000;
  const maxLmi = options.maxLmiSize ?? 1500;
  const rows: ComparisonRow[] = [];
  methods.forEach((method, index) => {
    const start = performance.now();
    const row = (kind: ComparisonKind, value: number | null, note: string): ComparisonRow => ({
      method,
      kind,
      value,
      timeMs: performance.now() - start,
      note,
    });
    let result: ComparisonRow;
    if (method === 'product') {
      const g = globalLipschitzBound(net, { mode: 'certified', seed: options.seed ?? 0 });
      result = row(g.kind === 'upper bound' ? 'upper' : 'estimate', g.value, 'product of certified per-layer norms');
    } else if (!chain) {
      result = row('not applicable', null, chainError);
    } else {
      result = runChainMethod(method, chain, options, maxVars, maxLmi, row);
    }
    rows.push(result);
    options.onProgress?.(index + 1, methods.length, method);
  });
  return rows;
}

function runChainMethod(
  method: ComparisonMethod,
  chain: AffineReluChain,
  options: CompareOptions,
  maxVars: number,
  maxLmi: number,
  row: (kind: ComparisonKind, value: number | null, note: string) => ComparisonRow,
): ComparisonRow {
  const hidden = chain.sizes.slice(1, -1);
  const nHidden = hidden.reduce((a, b) => a + b, 0);
  switch (method) {
    case 'autolip':
      return row('upper', autoLip(chain), 'Π ‖W_i‖₂ (exact SVD)');
    case 'seqlip': {
      const r = seqLip(chain);
      const methods = r.junctions.map((j) => j.method).join('/');
      return row(
        r.kind === 'upper bound' ? 'upper' : 'estimate',
        r.value,
        r.kind === 'upper bound'
          ? 'exact optimisation over activation patterns'
          : `greedy optimisation (${methods}) underestimates each factor`,
      );
    }
    case 'eclipse-fast': {
      const r = eclipseFast(chain);
      return row(
        r.kind === 'upper bound' ? 'upper' : 'estimate',
        Number.isFinite(r.value) ? r.value : null,
        r.reason || 'closed form',
      );
    }
    case 'exact': {
      const limit = options.maxExactHiddenNeurons ?? 40;
      if (nHidden > limit) {
        return row(
          'not applicable',
          null,
          `${nHidden} hidden neurons: region enumeration (up to 2^${nHidden} regions) is for ≤ ${limit}`,
        );
      }
      try {
        const r = exactReluLipschitz(chain, { maxHiddenNeurons: limit });
        return row('exact', r.value, `${r.regions} activation regions`);
      } catch (e) {
        if (e instanceof LipschitzBoundsError) return row('not applicable', null, e.message);
        throw e;
      }
    }
    case 'jacobian-lower': {
      const r = sampledJacobianLowerBound(chain, { samples: options.samples ?? 2000, seed: options.seed ?? 0 });
      return row('lower', r.value, `max ‖J(x)‖₂ over ${r.samples} Gaussian inputs`);
    }
    default: {
      const form = LIPSDP_FORMS[method]!;
      // Size of the largest chunk's SDP.
      const size = options.splitSize ?? chain.weights.length;
      let worstVars = 0;
      let worstLmi = 0;
      for (let s = 0; s < chain.weights.length; s += size) {
        const sub = chain.sizes.slice(s, Math.min(chain.weights.length, s + size) + 1);
        const n = sub.slice(1, -1).reduce((a, b) => a + b, 0);
        const lmi = Math.min(sub[0]!, sub[1]!) + n;
        const pairs =
          form === 'network' ? (n * (n - 1)) / 2 : form === 'network-rand' ? 100 : form === 'network-dec-vars' ? 10 : 0;
        const vars = 1 + (form === 'layer' ? sub.length - 2 : n) + Math.min(pairs, (n * (n - 1)) / 2);
        worstVars = Math.max(worstVars, vars);
        worstLmi = Math.max(worstLmi, lmi);
      }
      if (worstVars > maxVars || worstLmi > maxLmi) {
        return row(
          'not applicable',
          null,
          `SDP too large (${worstVars} variables, LMI order ${worstLmi}; limits ${maxVars}, ${maxLmi}): the interior-point cost grows as variables³ per iteration; use --split-size or a smaller form`,
        );
      }
      try {
        const r = lipSdp(chain, {
          form,
          alpha: options.alpha,
          beta: options.beta,
          split: options.splitSize !== undefined,
          splitSize: options.splitSize,
          seed: options.seed,
        });
        const iterations = r.chunks.reduce((s, c) => s + c.iterations, 0);
        return row(
          r.kind === 'upper bound' ? 'upper' : 'estimate',
          r.value,
          r.reason ||
            `certified: λ_min of the LMI = ${Math.min(...r.chunks.map((c) => (c.method === 'sdp' ? c.lmiMinEigenvalue : Number.POSITIVE_INFINITY))).toExponential(2)}, ${iterations} iterations`,
        );
      } catch (e) {
        if (e instanceof LipschitzBoundsError && e.argument === 'net') return row('not applicable', null, e.message);
        throw e;
      }
    }
  }
}
