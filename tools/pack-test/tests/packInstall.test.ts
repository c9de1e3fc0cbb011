import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const smokeDir = join(here, '..', 'smoke');

/** Published packages, with the @lipkit packages and third-party packages each one's smoke project installs. */
const PACKAGES: Record<string, { lipkit: string[]; extra: string[] }> = {
  datasets: { lipkit: ['datasets'], extra: [] },
  'lipschitz-bounds': { lipkit: ['lipschitz-bounds'], extra: ['@tensorflow/tfjs-core@4.22.0'] },
  'constrained-layers': {
    lipkit: ['constrained-layers', 'lipschitz-bounds'],
    extra: ['@tensorflow/tfjs-core@4.22.0', '@tensorflow/tfjs-layers@4.22.0', '@tensorflow/tfjs-backend-cpu@4.22.0'],
  },
  'steady-learner': {
    lipkit: ['steady-learner', 'constrained-layers', 'lipschitz-bounds', 'datasets'],
    extra: ['@tensorflow/tfjs-core@4.22.0', '@tensorflow/tfjs-layers@4.22.0', '@tensorflow/tfjs-backend-cpu@4.22.0'],
  },
  'train-cli': {
    lipkit: ['train-cli', 'steady-learner', 'constrained-layers', 'lipschitz-bounds', 'datasets'],
    extra: [],
  },
};

let packDir: string;
const tarballs: Record<string, string> = {};
const projects: string[] = [];

beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), 'lipkit-pack-'));
  for (const name of Object.keys(PACKAGES)) {
    execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: join(repo, 'packages', name), stdio: 'pipe' });
    const file = readdirSync(packDir).find((f) => f.startsWith(`lipkit-${name}-`) && f.endsWith('.tgz'));
    if (!file) throw new Error(`pnpm pack produced no tarball for ${name}`);
    tarballs[name] = join(packDir, file);
  }
});

afterAll(() => {
  for (const p of projects) rmSync(p, { recursive: true, force: true });
  rmSync(packDir, { recursive: true, force: true });
});

describe('packed packages install alone and work through their public entry', () => {
  for (const [name, spec] of Object.entries(PACKAGES)) {
    it(`@lipkit/${name}`, () => {
      const project = mkdtempSync(join(tmpdir(), `lipkit-consumer-${name}-`));
      projects.push(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
      const deps = [...spec.lipkit.map((p) => tarballs[p]!), ...spec.extra, 'typescript@5.9.3', '@types/node@20'];
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...deps], {
        cwd: project,
        stdio: 'pipe',
        timeout: 300_000,
      });
      cpSync(join(smokeDir, name), project, { recursive: true });
      const run = execFileSync('node', ['smoke.mjs'], { cwd: project, encoding: 'utf8', timeout: 120_000 });
      expect(run).toContain('smoke ok');
      // Types resolve through the package's `exports` map under NodeNext resolution.
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: ['node'],
          },
          include: ['smoke.ts'],
        }),
      );
      execFileSync(join(project, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: project, stdio: 'pipe' });
      const installed = JSON.parse(
        readFileSync(join(project, 'node_modules', '@lipkit', name, 'package.json'), 'utf8'),
      );
      expect(installed.name).toBe(`@lipkit/${name}`);
    });
  }
});
