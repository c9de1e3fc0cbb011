/** Zero-initialised per-parameter state ("slots") shared by the optimisers. */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedParameter, NamedStateVariable } from './trainingOptimizer.js';

/** One zero variable per parameter, named `<parameter>/<slot>`, non-trainable. */
export function zeroSlotVariables(params: readonly NamedParameter[], slot: string): NamedStateVariable[] {
  return params.map((p) => ({
    name: `${p.name}/${slot}`,
    variable: tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false)),
  }));
}

/** A scalar float32 step counter, named `step`. */
export function stepCounterVariable(): NamedStateVariable {
  return { name: 'step', variable: tf.tidy(() => tf.variable(tf.scalar(0), false)) };
}

/** Disposes state variables. */
export function disposeStateVariables(state: readonly NamedStateVariable[]): void {
  for (const s of state) s.variable.dispose();
}
