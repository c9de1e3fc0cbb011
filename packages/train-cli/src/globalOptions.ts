/** Options every `lipkit` command accepts, and their parsing. */
import type { Command } from 'commander';
import { type BackendChoice, parseBackendChoice } from './backendSelection.js';
import { CliUsageError } from './cliErrors.js';
import type { OutputMode } from './progressReporter.js';

/** Parsed global options. */
export interface GlobalOptions {
  /** `--backend` (default `auto`). */
  backend: BackendChoice;
  /** `bar` unless `--json` or `--quiet` was given. */
  mode: OutputMode;
}

/** Adds `--backend`, `--json` and `--quiet` to the root program. */
export function addGlobalOptions(program: Command): void {
  program
    .option('--backend <name>', 'tfjs backend: auto, tfjs-node-gpu, tfjs-node, wasm, cpu', 'auto')
    .option('--json', 'machine-readable JSON lines on stdout instead of tables and bars', false)
    .option('--quiet', 'no progress bars; only results and errors', false);
}

/** Reads the global options of the command being run. */
export function globalOptionsOf(command: Command): GlobalOptions {
  const o = command.optsWithGlobals() as { backend: string; json: boolean; quiet: boolean };
  if (o.json && o.quiet) throw new CliUsageError('--json', 'cannot be combined with --quiet');
  return { backend: parseBackendChoice(o.backend), mode: o.json ? 'json' : o.quiet ? 'quiet' : 'bar' };
}
