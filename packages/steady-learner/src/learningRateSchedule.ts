import { requireInteger, requirePositive } from './steadyLearnerError.js';

/**
 * The CNN experiment's schedule (spec §6.3): PyTorch `ExponentialLR(γ = 10^(−1/decay))` stepped once per epoch, so
 * `η_e = lr0 · 10^(−e/decay)` (one decade every `decay` epochs). Computed in closed form (no accumulated rounding).
 */
export function decadeDecayLearningRate(lr0: number, decay: number, epoch: number): number {
  requirePositive('lr', lr0);
  requireInteger('decay', decay, 1);
  return lr0 * 10 ** (-epoch / decay);
}

/** The per-epoch factor γ = 10^(−1/decay) of {@link decadeDecayLearningRate}. */
export function decadeDecayFactor(decay: number): number {
  requireInteger('decay', decay, 1);
  return 10 ** (-1 / decay);
}
