/**
 * Seeded pseudo-random streams. The original code is unseeded (spec §10.11); here one user seed derives an
 * independent stream per purpose (data, projection, init, shuffle, corruption) and per repeat, so each can be
 * reproduced on its own and adding draws to one stream never shifts another.
 */

/** A deterministic random source. */
export interface RandomStream {
  /** Uniform in [0, 1), 32 random bits. */
  uniform(): number;
  /** Uniform in [lo, hi). */
  uniformIn(lo: number, hi: number): number;
  /** Standard normal (Box–Muller, float64). */
  normal(): number;
  /** Uniform integer in {0, …, n−1}. */
  integer(n: number): number;
  /** Fisher–Yates shuffle of `values`, in place; returns it. */
  shuffle<T extends { length: number; [i: number]: number }>(values: T): T;
}

/** SplitMix32 finaliser: a bijective 32-bit mixer used for seeding and seed derivation. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Derives a child seed (uint32) from a parent seed and a label such as `"init"` or `"repeat/3"` (FNV-1a of the
 * label, mixed with the parent). Distinct labels give unrelated streams.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ mix32(seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

/** Creates a xoshiro128** stream from a 32-bit seed (state filled by SplitMix32). */
export function createRandomStream(seed: number): RandomStream {
  let s0 = mix32(seed >>> 0);
  let s1 = mix32(s0 ^ 0x6a09e667);
  let s2 = mix32(s1 ^ 0xbb67ae85);
  let s3 = mix32(s2 ^ 0x3c6ef372);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  let spareNormal: number | undefined;
  const stream: RandomStream = {
    uniform: () => nextUint32() / 4294967296,
    uniformIn: (lo, hi) => lo + (hi - lo) * stream.uniform(),
    normal() {
      if (spareNormal !== undefined) {
        const v = spareNormal;
        spareNormal = undefined;
        return v;
      }
      let u = 0;
      while (u === 0) u = stream.uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      const a = 2 * Math.PI * stream.uniform();
      spareNormal = r * Math.sin(a);
      return r * Math.cos(a);
    },
    integer: (n) => Math.floor(stream.uniform() * n),
    shuffle(values) {
      for (let i = values.length - 1; i > 0; i--) {
        const j = stream.integer(i + 1);
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
      }
      return values;
    },
  };
  return stream;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
