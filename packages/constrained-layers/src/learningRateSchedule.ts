/** Per-epoch learning-rate schedules of the original `train.py` (spec §9.4), stepped once per epoch. */
import { TrainingConfigError } from './trainingErrors.js';

/** Names accepted by `lipkit train --schedule` (`auto`: multistep for the ResNet, cosine for the simple convnets). */
export const SCHEDULE_NAMES = ['multistep', 'cosine', 'constant'] as const;

/** A learning-rate schedule. */
export type LearningRateSchedule =
  /** PyTorch `MultiStepLR`: `lr·γ^{#{m ∈ milestones : m ≤ epoch}}`. The original uses [60, 120, 160] and γ = 0.2. */
  | { kind: 'multistep'; baseLr: number; milestones: readonly number[]; gamma: number }
  /**
   * PyTorch `CosineAnnealingLR(T_max, eta_min = 0)`: `lr·(1 + cos(π·epoch/tMax))/2`. The original sets
   * `tMax = --epochs` but runs `epochs + 1` epochs, so its last epoch has lr 0; we run `--epochs` epochs (see
   * `trainModel`), so every epoch trains with a positive rate.
   */
  | { kind: 'cosine'; baseLr: number; tMax: number }
  /** A fixed rate. */
  | { kind: 'constant'; baseLr: number };

/** The learning rate of 0-based `epoch`. */
export function learningRateAt(schedule: LearningRateSchedule, epoch: number): number {
  switch (schedule.kind) {
    case 'multistep': {
      const passed = schedule.milestones.filter((m) => m <= epoch).length;
      return schedule.baseLr * schedule.gamma ** passed;
    }
    case 'cosine':
      return (schedule.baseLr * (1 + Math.cos((Math.PI * epoch) / schedule.tMax))) / 2;
    case 'constant':
      return schedule.baseLr;
  }
}

/** Checks a schedule's numbers; throws {@link TrainingConfigError} naming the CLI flag. */
export function validateLearningRateSchedule(schedule: LearningRateSchedule): void {
  if (!(Number.isFinite(schedule.baseLr) && schedule.baseLr > 0)) {
    throw new TrainingConfigError('--lr', `must be a finite number > 0, got ${schedule.baseLr}`);
  }
  if (schedule.kind === 'multistep') {
    if (!(Number.isFinite(schedule.gamma) && schedule.gamma > 0)) {
      throw new TrainingConfigError('--gamma', `must be a finite number > 0, got ${schedule.gamma}`);
    }
    if (schedule.milestones.some((m) => !Number.isInteger(m) || m < 1)) {
      throw new TrainingConfigError('--milestones', `must be integers ≥ 1, got ${schedule.milestones.join(' ')}`);
    }
  }
  if (schedule.kind === 'cosine' && !(Number.isInteger(schedule.tMax) && schedule.tMax >= 1)) {
    throw new TrainingConfigError('--epochs', `cosine schedule needs an integer number of epochs ≥ 1`);
  }
}
