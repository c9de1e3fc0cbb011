/**
 * Runs every benchmark of @lipkit/train-cli (`pnpm bench`), each in its own Node process. Each prints its own table.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const file of ['trainWorkersBench.ts']) {
  console.log(`\n## ${file}\n`);
  execFileSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
}
