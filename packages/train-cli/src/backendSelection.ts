/**
 * The one place that picks a TensorFlow.js backend. Libraries never do: they use whatever backend is active.
 *
 * Order for `auto`: `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node` (both register the backend named
 * `tensorflow`), then `wasm` (`@tensorflow/tfjs-backend-wasm`, its `.wasm` binaries read from node_modules, no
 * network), then `cpu`. A forced choice that cannot start is an error, not a silent fallback.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CliUsageError } from './cliErrors.js';

/** Values accepted by `--backend`. */
export const BACKEND_CHOICES = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
/** One of {@link BACKEND_CHOICES}. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
/** A concrete backend (everything but `auto`), in the order `auto` tries them. */
export type ConcreteBackend = Exclude<BackendChoice, 'auto'>;

const AUTO_ORDER: readonly ConcreteBackend[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

const MODULE_OF: Record<ConcreteBackend, string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** The tfjs registry name each package registers its backend under. */
const TFJS_NAME_OF: Record<ConcreteBackend, string> = {
  'tfjs-node-gpu': 'tensorflow',
  'tfjs-node': 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** Thrown when a forced backend is installed but cannot be imported or initialised. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
  constructor(
    readonly backend: ConcreteBackend,
    readonly reason: string,
  ) {
    super(`--backend ${backend}: cannot use ${MODULE_OF[backend]} (${reason})`);
  }
}

/** Hooks injected for tests; the defaults import real modules and call tfjs. */
export interface BackendSelectionDeps {
  /** Imports a package by name; rejects when it is not installed. Default: dynamic `import()`. */
  importModule?: (specifier: string) => Promise<unknown>;
  /** Activates a registered tfjs backend; resolves to whether it initialised. Default: `tf.setBackend`. */
  activate?: (tfjsName: string) => Promise<boolean>;
}

/** What {@link selectBackend} chose. */
export interface BackendSelection {
  /** The backend in lipkit's naming (`--backend` values). */
  backend: ConcreteBackend;
  /** The tfjs registry name now active (`tf.getBackend()`). */
  tfjsName: string;
  /** Backends tried before this one and why each was skipped (empty for a forced choice). */
  skipped: { backend: ConcreteBackend; reason: string }[];
}

/** Parses a `--backend` value; throws {@link CliUsageError} naming the allowed values. */
export function parseBackendChoice(value: string): BackendChoice {
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new CliUsageError('--backend', `unknown backend '${value}'; allowed: ${BACKEND_CHOICES.join(', ')}`);
}

async function tryBackend(
  backend: ConcreteBackend,
  deps: Required<BackendSelectionDeps>,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await deps.importModule(MODULE_OF[backend]);
  } catch (err) {
    return { ok: false, reason: `not importable: ${(err as Error).message.split('\n')[0]}` };
  }
  try {
    if (!(await deps.activate(TFJS_NAME_OF[backend]))) return { ok: false, reason: 'failed to initialise' };
  } catch (err) {
    return { ok: false, reason: `failed to initialise: ${(err as Error).message.split('\n')[0]}` };
  }
  return { ok: true };
}

/**
 * Picks and activates a backend. `auto` (default) tries tfjs-node-gpu, tfjs-node, wasm, cpu in that order;
 * any other choice is forced and throws {@link BackendUnavailableError} if it cannot start.
 */
export async function selectBackend(
  choice: BackendChoice = 'auto',
  deps: BackendSelectionDeps = {},
): Promise<BackendSelection> {
  const full: Required<BackendSelectionDeps> = {
    importModule: deps.importModule ?? ((s) => import(s)),
    activate: deps.activate ?? ((name) => tf.setBackend(name)),
  };
  if (choice !== 'auto') {
    const r = await tryBackend(choice, full);
    if (!r.ok) throw new BackendUnavailableError(choice, r.reason);
    return { backend: choice, tfjsName: TFJS_NAME_OF[choice], skipped: [] };
  }
  const skipped: BackendSelection['skipped'] = [];
  for (const backend of AUTO_ORDER) {
    const r = await tryBackend(backend, full);
    if (r.ok) return { backend, tfjsName: TFJS_NAME_OF[backend], skipped };
    skipped.push({ backend, reason: r.reason });
  }
  throw new BackendUnavailableError('cpu', `no backend could start: ${skipped.map((s) => s.reason).join('; ')}`);
}
