import { execFileSync } from 'node:child_process';
import { parseBackendChoice } from '@lipkit/train-cli';

if (parseBackendChoice('wasm') !== 'wasm') throw new Error('parseBackendChoice');
const out = execFileSync('node_modules/.bin/lipkit', ['backend', '--backend', 'wasm'], { encoding: 'utf8' });
if (!out.includes('backend: wasm')) throw new Error(`lipkit backend printed: ${out}`);
console.log('smoke ok');
