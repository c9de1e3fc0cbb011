// No numeric tfjs work here: this file checks the behaviour when '@tensorflow/tfjs-backend-wasm' was never imported
// (vitest runs each test file in its own process, so no wasm backend is registered).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, WasmKernelError } from '../src/index.js';

describe('registerWasmTrainingKernels without a wasm backend', () => {
  it('throws a typed error and registers nothing', () => {
    expect(tf.findBackendFactory('wasm')).toBeNull();
    expect(() => registerWasmTrainingKernels()).toThrow(WasmKernelError);
    expect(() => registerWasmTrainingKernels()).toThrow(/import '@tensorflow\/tfjs-backend-wasm'/);
    expect(tf.getKernelsForBackend('wasm')).toHaveLength(0);
  });
});
