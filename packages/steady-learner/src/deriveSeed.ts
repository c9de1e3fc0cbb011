/**
 * Sub-seed derivation. The original is unseeded (spec §10.11); here one user `--seed` derives an independent stream
 * per purpose (`data`, `init`, `shuffle`, `corruption`) and per repeat, so each can be reproduced on its own and
 * adding draws to one stream never shifts another. Streams are `@lipkit/datasets`' `SeededRandom`.
 */

/** SplitMix32 finaliser (a bijective 32-bit mixer). */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A child seed (uint32) from a parent seed and a label such as `"init"` or `"repeat/3"`: FNV-1a over the label,
 * started from the mixed parent, then mixed again. Distinct labels give unrelated seeds.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ mix32(seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}
