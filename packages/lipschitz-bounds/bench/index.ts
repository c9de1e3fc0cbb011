import { printTable } from './benchTiming.js';
import { svdBenchmark } from './svdBenchmark.js';

const quick = process.argv.includes('--quick');
console.log(`lipschitz-bounds benchmarks — ${new Date().toISOString()} — node ${process.version}`);
printTable([...svdBenchmark(quick ? [64, 128] : [64, 128, 256, 512])]);
