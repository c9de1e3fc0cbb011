import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, CliUsageError, parseBackendChoice, selectBackend } from '../src/index.js';

/** A fake module world: `installed` packages import fine, `broken` tfjs names fail to initialise. */
function fakeDeps(installed: string[], broken: string[] = []) {
  const activated: string[] = [];
  return {
    activated,
    deps: {
      importModule: async (s: string) => {
        if (!installed.includes(s)) throw new Error(`Cannot find package '${s}'`);
        return {};
      },
      activate: async (name: string) => {
        activated.push(name);
        return !broken.includes(name);
      },
    },
  };
}

describe('selectBackend', () => {
  it('prefers tfjs-node-gpu, then tfjs-node', async () => {
    const all = [
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs-node',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-cpu',
    ];
    expect((await selectBackend('auto', fakeDeps(all).deps)).backend).toBe('tfjs-node-gpu');
    expect((await selectBackend('auto', fakeDeps(all.slice(1)).deps)).backend).toBe('tfjs-node');
  });

  it('falls back to wasm when tfjs-node is missing, reporting what it skipped', async () => {
    const { deps } = fakeDeps(['@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']);
    const sel = await selectBackend('auto', deps);
    expect(sel.backend).toBe('wasm');
    expect(sel.tfjsName).toBe('wasm');
    expect(sel.skipped.map((s) => s.backend)).toEqual(['tfjs-node-gpu', 'tfjs-node']);
    expect(sel.skipped[0]!.reason).toMatch(/not importable/);
  });

  it('falls back to cpu when wasm fails to initialise', async () => {
    const { deps } = fakeDeps(['@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu'], ['wasm']);
    const sel = await selectBackend('auto', deps);
    expect(sel.backend).toBe('cpu');
    expect(sel.skipped.at(-1)).toEqual({ backend: 'wasm', reason: 'failed to initialise' });
  });

  it('honours a forced choice even when a preferred backend exists', async () => {
    const { deps, activated } = fakeDeps(['@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-cpu']);
    const sel = await selectBackend('cpu', deps);
    expect(sel).toEqual({ backend: 'cpu', tfjsName: 'cpu', skipped: [] });
    expect(activated).toEqual(['cpu']);
  });

  it('throws a typed error when a forced backend is missing, never falling back silently', async () => {
    const { deps } = fakeDeps(['@tensorflow/tfjs-backend-cpu']);
    await expect(selectBackend('tfjs-node', deps)).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(selectBackend('tfjs-node', deps)).rejects.toThrow(/@tensorflow\/tfjs-node/);
  });

  it('throws when nothing can start', async () => {
    await expect(selectBackend('auto', fakeDeps([]).deps)).rejects.toThrow(/no backend could start/);
  });

  it('really activates wasm and cpu in this install', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    tf.env().set('IS_TEST', true);
    expect((await selectBackend('wasm')).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect((await selectBackend('cpu')).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('parseBackendChoice', () => {
  it('accepts the allowed names', () => {
    for (const n of ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']) expect(parseBackendChoice(n)).toBe(n);
  });
  it('rejects an unknown name with a typed error listing the allowed names', () => {
    expect(() => parseBackendChoice('webgl')).toThrow(CliUsageError);
    expect(() => parseBackendChoice('webgl')).toThrow(
      /--backend: unknown backend 'webgl'; allowed: auto, tfjs-node-gpu, tfjs-node, wasm, cpu/,
    );
  });
});
