import { spectralNormExactCircular } from '@lipkit/lipschitz-bounds';
import { torchConvKernelOf } from './kernelLayout.js';

/**
 * Spectral norm (ℓ2 Lipschitz constant) of the circular convolution with TF-layout kernel `[kh, kw, Cin, Cout]`
 * on an `height × width` torus, **exact** in float64 (numeric core's {@link spectralNormExactCircular}: per-frequency
 * singular values of the 2-D DFT of the kernel, Sedghi et al. 2019; for stride s the exact aliased blocks). A
 * stride that does not divide the grid falls back to the stride-1 norm, an upper bound of the strided layer
 * (subsampling is 1-Lipschitz).
 */
export function circularConvSpectralNorm(
  values: ArrayLike<number>,
  shape: readonly [number, number, number, number],
  height: number,
  width: number,
  stride = 1,
): number {
  const divides = height % stride === 0 && width % stride === 0;
  return spectralNormExactCircular(torchConvKernelOf(values, shape), height, width, { stride: divides ? stride : 1 })
    .value;
}
