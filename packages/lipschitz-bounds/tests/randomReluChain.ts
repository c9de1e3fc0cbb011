import { type AffineReluChain, createSeededRandom, type NetworkDescription } from '../src/index.js';

/** A random dense ReLU chain with Gaussian weights and biases (seeded). */
export function randomReluChain(sizes: number[], seed: number, biasScale = 0.5): AffineReluChain {
  const r = createSeededRandom(seed);
  const weights = [];
  const biases = [];
  for (let k = 0; k + 1 < sizes.length; k++) {
    const rows = sizes[k + 1]!;
    const cols = sizes[k]!;
    weights.push({ rows, cols, data: Float64Array.from({ length: rows * cols }, () => r.normal()) });
    biases.push(Float64Array.from({ length: rows }, () => r.normal() * biasScale));
  }
  return { weights, biases, sizes, stageTypes: weights.map(() => 'dense') };
}

/** The same chain as a network description (dense, relu, …, dense). */
export function chainToDescription(chain: AffineReluChain): NetworkDescription {
  const layers: NetworkDescription['layers'] = [];
  chain.weights.forEach((w, k) => {
    if (k > 0) layers.push({ type: 'relu' });
    layers.push({
      type: 'dense',
      weight: { shape: [w.rows, w.cols], data: Array.from(w.data) },
      bias: { shape: [w.rows], data: Array.from(chain.biases[k]!) },
    });
  });
  return { format: 'lipkit-network', version: 1, inputShape: [chain.sizes[0]!], layers };
}
