/**
 * A small seeded pseudo-random generator (mulberry32, 32-bit state) for reproducible start vectors and test data.
 * Not cryptographic. `uniform()` is in [0, 1); `normal()` is standard Gaussian (Box–Muller, float64).
 */
export interface SeededRandom {
  uniform(): number;
  normal(): number;
}

/** Creates a {@link SeededRandom} from an integer seed (any number; it is reduced to 32 bits). */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    let u = uniform();
    while (u === 0) u = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal };
}

/** A Float64Array of `length` standard Gaussian values drawn from `random`. */
export function gaussianArray(random: SeededRandom, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = random.normal();
  return out;
}
