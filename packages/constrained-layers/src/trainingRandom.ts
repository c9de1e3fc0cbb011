/**
 * The training run's generator (epoch shuffle seeds). Unlike lipschitz-bounds' `createSeededRandom` (mulberry32,
 * hidden state), its whole state is four 32-bit words that it exposes, so checkpoints can save and restore it exactly:
 * sfc32 (Chris Doty-Humphrey's "Small Fast Counting" generator, PractRand-clean), seeded through splitmix32.
 */
import { CheckpointError } from './trainingErrors.js';

/** A seeded generator with exportable state. */
export interface TrainingRandom {
  /** Next uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Next uniform float in [0, 1) (32 bits of randomness). */
  nextFloat(): number;
  /** The current state (4 unsigned 32-bit words); {@link restoreTrainingRandom} continues from it. */
  state(): [number, number, number, number];
}

function sfc32(a: number, b: number, c: number, d: number): TrainingRandom {
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  return {
    nextUint32: next,
    nextFloat: () => next() / 4294967296,
    state: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
  };
}

/** A generator seeded from an integer (any safe integer; equal seeds give equal streams). */
export function createTrainingRandom(seed: number): TrainingRandom {
  let s = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296)) >>> 0;
  const splitmix32 = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const rng = sfc32(splitmix32(), splitmix32(), splitmix32(), splitmix32());
  for (let i = 0; i < 12; i++) rng.nextUint32(); // sfc32's recommended warm-up
  return rng;
}

/** Continues a generator from a saved (checkpointed) {@link TrainingRandom.state}. */
export function restoreTrainingRandom(state: readonly number[]): TrainingRandom {
  if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
    throw new CheckpointError('--resume', `rngState must be four unsigned 32-bit integers, got [${state.join(', ')}]`);
  }
  return sfc32(state[0]! | 0, state[1]! | 0, state[2]! | 0, state[3]! | 0);
}
