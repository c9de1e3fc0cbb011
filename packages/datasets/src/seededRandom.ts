/**
 * A small, fast, seeded pseudo-random generator, so that shuffles, random labels and label corruption are
 * reproducible across runs, platforms and Node versions (Math.random is neither seedable nor specified).
 *
 * Algorithm: SFC32 ("small fast counter", Chris Doty-Humphrey, from the PractRand suite; passes PractRand and
 * BigCrush), a 128-bit state with a counter, so its period is at least 2^32 and ≈2^127 on average. The state is
 * filled from the integer seed with SplitMix32 (a 32-bit variant of Steele, Lea & Flood's SplitMix, 2014) over the
 * seed's low and high 32-bit halves, then 12 outputs are discarded to mix the state. Bitwise equality with NumPy's
 * Mersenne Twister is not a goal; only the structure of the original experiments (what is drawn, in which order) is kept.
 */
import { requireInteger } from './datasetErrors.js';

/** Uniform 32-bit integers, floats in [0, 1), unbiased integers in [0, n), normals, and Fisher–Yates shuffles. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param seed any safe integer (negative allowed); anything else throws `DatasetError` with argument `seed`
   * @param argument the name used in that error (default `seed`)
   */
  constructor(seed: number, argument = 'seed') {
    requireInteger(argument, seed);
    const big = BigInt(seed);
    let s = Number(BigInt.asUintN(32, big));
    const hi = Number(BigInt.asUintN(32, big >> 32n));
    const splitMix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitMix();
    this.b = splitMix() ^ hi;
    this.c = splitMix();
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform integer in [0, 2^32). */
  nextUint32(): number {
    this.d = (this.d + 1) >>> 0;
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A uniform float in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform float in [lo, hi). */
  nextUniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.nextFloat();
  }

  /** An unbiased uniform integer in [0, n) for 1 ≤ n ≤ 2^32 (rejection sampling, no modulo bias). */
  nextInt(n: number): number {
    const limit = Math.floor(4294967296 / n) * n;
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** A standard normal N(0, 1) draw (Box–Muller; one draw per call, two uniforms consumed). */
  nextNormal(): number {
    const u1 = 1 - this.nextFloat(); // (0, 1]: log is finite
    const u2 = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Shuffles `values` in place (Fisher–Yates, every permutation equally likely) and returns it. */
  shuffleInPlace<T extends { [i: number]: number; length: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = values[i]!;
      values[i] = values[j]!;
      values[j] = tmp;
    }
    return values;
  }
}

/** The indices 0..n−1 in a seeded random order (Fisher–Yates with {@link SeededRandom}). */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const rng = new SeededRandom(seed);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return rng.shuffleInPlace(idx);
}
