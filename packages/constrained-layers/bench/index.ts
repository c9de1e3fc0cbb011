/**
 * Runs every benchmark of @lipkit/constrained-layers (`pnpm bench`), each in its own Node process so that backend
 * state (kernel registrations, wasm threads) does not leak between them. Each prints its own table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const file of ['wasmKernelsBench.ts', 'trainLoopBench.ts', 'projectionBench.ts']) {
  if (!existsSync(join(here, file))) continue;
  console.log(`\n## ${file}\n`);
  execFileSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
}
