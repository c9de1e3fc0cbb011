import { circularSamePadding, conv2dGeometry, denseMatrixOfConv2d, singularValues } from '@lipkit/lipschitz-bounds';
import { torchConvKernelOf } from './kernelLayout.js';

/**
 * Spectral norm (ℓ2 Lipschitz constant) of the **stride-1** circular convolution with TF-layout kernel
 * `[kh, kw, Cin, Cout]` on an `height × width` torus, exact in float64: the largest singular value of the
 * convolution's explicit matrix (numeric core's dense oracle + Jacobi SVD). For a strided layer this is an upper
 * bound of the strided operator's norm (subsampling is 1-Lipschitz), the same set the projection uses.
 */
export function circularConvSpectralNorm(
  values: ArrayLike<number>,
  shape: readonly [number, number, number, number],
  height: number,
  width: number,
): number {
  const kernel = torchConvKernelOf(values, shape);
  const geometry = conv2dGeometry(kernel.shape, [shape[2], height, width], {
    padding: circularSamePadding(shape[0], shape[1]),
    paddingMode: 'circular',
  });
  return singularValues(denseMatrixOfConv2d(kernel, geometry))[0] ?? 0;
}
