import { type ImageDataset, SeededRandom } from '@lipkit/datasets';

/**
 * A two-class fixture dataset (no download): class 1 images are brighter in the top half. Small enough for
 * end-to-end tests; normalisation mean = std = 0.5 (pixels → [−1, 1]) as the steady-learner experiments.
 */
export function syntheticTwoClassImages(
  side: number,
  channels: number,
  trainCount: number,
  testCount: number,
  seed = 1,
): ImageDataset {
  const r = new SeededRandom(seed);
  const split = (count: number) => {
    const size = side * side * channels;
    const pixels = new Uint8Array(count * size);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const label = i % 2;
      labels[i] = label;
      for (let p = 0; p < size; p++) {
        const top = p < size / 2;
        pixels[i * size + p] = Math.min(255, Math.floor(r.nextUniform(0, 160) + (label && top ? 90 : 0)));
      }
    }
    return { pixels, labels, count, height: side, width: side, channels };
  };
  return {
    name: 'synthetic',
    classNames: ['dark', 'bright'],
    normalisation: { mean: Array(channels).fill(0.5), std: Array(channels).fill(0.5) },
    train: split(trainCount),
    test: split(testCount),
  };
}
