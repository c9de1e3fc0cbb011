/**
 * Normalisations used by the reference experiments that differ from a dataset's catalog statistics, for use with
 * `withNormalisation`.
 */
import { requireIntegerAtLeast } from './datasetErrors.js';
import type { Normalisation } from './imageDataset.js';

/**
 * Mean 0.5 and std 0.5 in every channel, mapping pixels to [−1, 1]: the steady-learner CNN experiments (§6.1 CIFAR-10
 * airplane vs dog, §6.5 MNIST 3 vs 6).
 * @param channels 1 (MNIST) or 3 (CIFAR)
 */
export function halfNormalisation(channels: number): Normalisation {
  const c = requireIntegerAtLeast('channels', channels, 1);
  return { mean: new Array(c).fill(0.5), std: new Array(c).fill(0.5) };
}

/**
 * The CIFAR-10 statistics of the local-Lipschitz reference network (local-lipschitz §7): mean (0.4914, 0.4822,
 * 0.4465), std (0.2470, 0.2435, 0.2616). The catalog's CIFAR-10 entry uses the excess-capacity values (§8.1), whose
 * stds are rounded to (0.247, 0.243, 0.261); use this one to evaluate that network.
 */
export const CIFAR10_LOCAL_LIPSCHITZ_NORMALISATION: Normalisation = {
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.247, 0.2435, 0.2616],
};
