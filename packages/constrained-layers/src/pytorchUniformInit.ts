/**
 * Uniform random numbers for PyTorch-like weight initialisation. PyTorch's default for `nn.Linear` / `nn.Conv2d`
 * (kaiming-uniform with a = √5) is `U(−1/√fan_in, +1/√fan_in)`; the TF.js default is Glorot-uniform, which would
 * change the init Lipschitz constants, the rescale and the meaning of distance budgets (spec §7.3, §14.21).
 */

/** A uniform [0, 1) generator: mulberry32 when `seed` is given (reproducible), else `Math.random`. */
export function uniformGenerator(seed?: number): () => number {
  if (seed === undefined) return Math.random;
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` samples of U(−1/√fanIn, +1/√fanIn) (PyTorch's default weight init). */
export function pytorchUniformValues(count: number, fanIn: number, random: () => number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (2 * random() - 1) * bound;
  return out;
}
