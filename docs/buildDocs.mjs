// Builds the docs site into docs/site: the CLI reference generated from the CLI's own definitions, the benchmark
// tables collected from the package READMEs, the guides, and
// the API reference from the packages' sources (TypeDoc). Offline. Fails on TypeDoc warnings (unresolved links
// included) and on any relative link in the generated HTML that points at a missing file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProgram, renderCliReference } from '@lipkit/train-cli';
import { Application, OptionDefaults } from 'typedoc';
import { renderBenchmarksGuide } from './renderBenchmarksGuide.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'site');
const packages = ['datasets', 'lipschitz-bounds', 'constrained-layers', 'steady-learner', 'train-cli'];

await writeFile(join(here, 'guides', 'cli-reference.md'), renderCliReference(createProgram()));
await writeFile(
  join(here, 'guides', 'benchmarks.md'),
  renderBenchmarksGuide(
    join(here, '..'),
    packages.map((p) => `packages/${p}`),
  ),
);

const app = await Application.bootstrapWithPlugins({
  name: 'lipkit',
  entryPoints: packages.map((p) => join(here, '..', 'packages', p, 'src', 'index.ts')),
  entryPointStrategy: 'resolve',
  tsconfig: join(here, 'tsconfig.json'),
  readme: join(here, 'README.md'),
  projectDocuments: [join(here, 'guides', '*.md'), join(here, 'network-format.md')],
  out,
  // `@nocollapse` keeps tfjs-layers' static className through minifiers; it is not documentation.
  blockTags: [...OptionDefaults.blockTags, '@nocollapse'],
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  validation: { notExported: false, invalidLink: true, notDocumented: false },
  githubPages: false,
  disableSources: true,
  logLevel: 'Warn',
});
const project = await app.convert();
if (!project) throw new Error('TypeDoc could not convert the project');
app.validate(project);
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error('docs: TypeDoc reported problems (see above)');
  process.exit(1);
}
await app.generateDocs(project, out);

// Link check over the generated site: every relative href/src must exist.
const broken = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.html')) {
      const html = readFileSync(path, 'utf8');
      for (const m of html.matchAll(/(?:href|src)="([^"#?]+)[^"]*"/g)) {
        const target = m[1];
        if (/^(https?:|mailto:|data:|javascript:)/.test(target)) continue;
        if (!existsSync(resolve(dirname(path), decodeURIComponent(target)))) broken.push(`${path}: ${target}`);
      }
    }
  }
}
walk(out);
if (broken.length > 0) {
  console.error(`docs: ${broken.length} broken link(s):\n${broken.slice(0, 50).join('\n')}`);
  process.exit(1);
}
console.log(`docs: site written to ${out}`);
