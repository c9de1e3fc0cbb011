import { type ConvKernel, embedKernelInPlane, NumericCoreError } from '@lipkit/lipschitz-bounds';

/**
 * The kernel embedded at the top-left of zero H×W planes: shape [Cout, Cin, H, W] (excess-capacity spec §4.3,
 * `embed_plane`). The stride-1 circular conv of this plane on the H×W grid has the kernel's singular values.
 * @throws NumericCoreError when the kernel is larger than the grid (the layers apply their kernel surgery first).
 */
export function embedKernel(kernel: ConvKernel, grid: readonly [number, number]): ConvKernel {
  const [cout, cin] = kernel.shape;
  return { shape: [cout, cin, grid[0], grid[1]], data: embedKernelInPlane(kernel, grid[0], grid[1]) };
}

function checkSupport(plane: ConvKernel, kh: number, kw: number): void {
  if (
    !Number.isInteger(kh) ||
    !Number.isInteger(kw) ||
    kh < 1 ||
    kw < 1 ||
    kh > plane.shape[2] ||
    kw > plane.shape[3]
  ) {
    throw new NumericCoreError(
      'support',
      `${kh}×${kw} for a ${plane.shape[2]}×${plane.shape[3]} plane`,
      'a kh×kw inside the plane',
    );
  }
}

/**
 * The orthogonal projection onto kernels supported on the top-left kh×kw block (spec §4.3, `ProjOnPlane`): zeroes
 * every other plane entry; same shape.
 */
export function maskKernelSupport(plane: ConvKernel, kh: number, kw: number): ConvKernel {
  checkSupport(plane, kh, kw);
  const [cout, cin, h, w] = plane.shape;
  const data = new Float64Array(plane.data.length);
  for (let p = 0; p < cout * cin; p++)
    for (let a = 0; a < kh; a++)
      for (let b = 0; b < kw; b++) data[(p * h + a) * w + b] = plane.data[(p * h + a) * w + b]!;
  return { shape: plane.shape, data };
}

/** The top-left kh×kw block of a plane as a [Cout, Cin, kh, kw] kernel (inverse of {@link embedKernel} on its support). */
export function cropKernel(plane: ConvKernel, kh: number, kw: number): ConvKernel {
  checkSupport(plane, kh, kw);
  const [cout, cin, h, w] = plane.shape;
  const data = new Float64Array(cout * cin * kh * kw);
  for (let p = 0; p < cout * cin; p++)
    for (let a = 0; a < kh; a++)
      for (let b = 0; b < kw; b++) data[(p * kh + a) * kw + b] = plane.data[(p * h + a) * w + b]!;
  return { shape: [cout, cin, kh, kw], data };
}
