import { createSeededRandom } from '@lipkit/lipschitz-bounds';

/**
 * Samples of `U(−1/√fanIn, +1/√fanIn)`, PyTorch's default weight (and bias) init for `nn.Linear` / `nn.Conv2d`
 * (kaiming-uniform with a = √5). The TF.js default is Glorot-uniform, which would change the init Lipschitz
 * constants, the rescale and the meaning of distance budgets (spec §7.3, §14.21). Reproducible when `seed` is
 * given (mulberry32), else `Math.random`.
 */
export function pytorchUniformValues(count: number, fanIn: number, seed?: number): Float32Array {
  const uniform = seed === undefined ? Math.random : createSeededRandom(seed).uniform;
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (2 * uniform() - 1) * bound;
  return out;
}
