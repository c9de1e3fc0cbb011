/** `lipkit backend`: shows which tfjs backend would be used and why the others were skipped. */
import type { Command } from 'commander';
import { activateBackend } from './activateBackend.js';
import { globalOptionsOf } from './globalOptions.js';

/** Registers `lipkit backend`. */
export function registerBackendCommand(program: Command): void {
  program
    .command('backend')
    .description('select the tfjs backend (honours --backend) and report the choice')
    .action(async (_opts, command: Command) => {
      const g = globalOptionsOf(command);
      const sel = await activateBackend(g, { announce: false });
      if (g.mode === 'json') {
        process.stdout.write(`${JSON.stringify({ event: 'backend', ...sel })}\n`);
      } else {
        process.stdout.write(`backend: ${sel.backend} (tfjs '${sel.tfjsName}')\n`);
        for (const s of sel.skipped) process.stdout.write(`  skipped ${s.backend}: ${s.reason}\n`);
      }
    });
}
