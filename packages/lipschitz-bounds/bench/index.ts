import { printTable } from './benchTiming.js';
import { localBoundBenchmark } from './localBoundBenchmark.js';
import { spectralNormBenchmark } from './spectralNormBenchmark.js';
import { svdBenchmark } from './svdBenchmark.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
console.log(`lipschitz-bounds benchmarks — ${new Date().toISOString()} — node ${process.version}`);
const rows = [
  ...(only === undefined || only === 'local' ? localBoundBenchmark(quick) : []),
  ...(only === undefined || only === 'spectral' ? spectralNormBenchmark() : []),
  ...(only === undefined || only === 'svd' ? svdBenchmark(quick ? [64, 128] : [64, 128, 256, 512]) : []),
];
printTable(rows);
