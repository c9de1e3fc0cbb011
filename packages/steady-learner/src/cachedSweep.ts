/**
 * Runs conditions × repeats sequentially, reusing finished runs from a run folder
 * (`<runDir>/<condition folder>/<k>/`) and saving new ones there, so a sweep can be resumed and replotted
 * without retraining.
 */
import { join } from 'node:path';
import { isRunComplete } from './runStore.js';
import { requireInteger } from './steadyLearnerError.js';

/** One condition of a sweep (e.g. one frequency). */
export interface SweepCondition<C> {
  /** Legend label, e.g. `freq=0.5`. */
  label: string;
  /** Folder name under the run folder, e.g. `freq_0.5`. */
  folder: string;
  /** The value the condition varies (frequency, corruption rate, …) or the model name. */
  value: number | string;
  config: C;
}

/** Progress hooks of a sweep (all optional). */
export interface SweepHooks {
  /** A run starts (`cached` = loaded from disk instead of trained). */
  onRunStart?: (label: string, repeat: number, cached: boolean) => void;
  /** Steps done / total steps of the current run. */
  onProgress?: (done: number, total: number) => void;
  /** A run finished. */
  onRunDone?: (label: string, repeat: number, cached: boolean) => void;
}

/** The runs of one condition. */
export interface SweepResult<C, R> {
  condition: SweepCondition<C>;
  runs: R[];
}

/** How to train, save and load one kind of run. */
export interface RunKind<C, R> {
  train: (
    condition: SweepCondition<C>,
    repeat: number,
    onProgress?: (done: number, total: number) => void,
  ) => R | Promise<R>;
  save: (dir: string, run: R) => Promise<void>;
  load: (dir: string) => Promise<R>;
}

/** Runs (or reloads) every condition × repeat. Without `runDir` nothing is cached. */
export async function runCachedSweep<C, R>(
  conditions: SweepCondition<C>[],
  repeats: number,
  kind: RunKind<C, R>,
  runDir: string | undefined,
  hooks: SweepHooks = {},
): Promise<SweepResult<C, R>[]> {
  requireInteger('repeats', repeats, 1);
  const out: SweepResult<C, R>[] = [];
  for (const condition of conditions) {
    const runs: R[] = [];
    for (let k = 0; k < repeats; k++) {
      const dir = runDir === undefined ? undefined : join(runDir, condition.folder, String(k));
      const cached = dir !== undefined && (await isRunComplete(dir));
      hooks.onRunStart?.(condition.label, k, cached);
      let run: R;
      if (cached) {
        run = await kind.load(dir as string);
      } else {
        run = await kind.train(condition, k, hooks.onProgress);
        if (dir !== undefined) await kind.save(dir, run);
      }
      hooks.onRunDone?.(condition.label, k, cached);
      runs.push(run);
    }
    out.push({ condition, runs });
  }
  return out;
}
