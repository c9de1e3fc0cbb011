/** Rebuilds the 8-bit image a seed input fixture (`*-x0.json`, normalised) was made from, as a PNG. */
import { readFileSync } from 'node:fs';
import { COLOR, rawPng } from './rawPng.js';

/** The fixture, its 8-bit pixels (interleaved, row-major) and a PNG of them. */
export function seedImage(
  path: string,
  mean: number[],
  std: number[],
): { shape: number[]; data: number[]; samples: Uint8Array; png: Uint8Array } {
  const x0 = JSON.parse(readFileSync(path, 'utf8')) as { shape: number[]; data: number[] };
  const [c, h, w] = x0.shape as [number, number, number];
  const samples = new Uint8Array(c * h * w);
  for (let ch = 0; ch < c; ch++) {
    for (let p = 0; p < h * w; p++) {
      const v = x0.data[ch * h * w + p] as number;
      samples[p * c + ch] = Math.round((v * (std[ch] as number) + (mean[ch] as number)) * 255);
    }
  }
  const png = rawPng({ width: w, height: h, color: c === 1 ? COLOR.gray : COLOR.rgb, depth: 8, samples });
  return { ...x0, samples, png };
}
