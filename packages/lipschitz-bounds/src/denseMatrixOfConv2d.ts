import { type Conv2dGeometry, type ConvKernel, conv2dInputSize, conv2dOutputSize } from './conv2dOperator.js';
import type { DenseMatrix } from './denseMatrix.js';
import { assertLength, NumericCoreError } from './numericCoreError.js';

/**
 * The explicit matrix A (rows Cout·Hout·Wout, columns Cin·H·W, both flattened in C, H, W order) of the convolution
 * described by {@link conv2dGeometry}: the dense oracle the tests compare every norm method with. Built entry by
 * entry from the index formula `A[(o,i,j), (c, r mod H, s mod W)] += K[o,c,a,b]` with r = i·sh + a − top,
 * s = j·sw + b − left (zero padding drops out-of-range r, s), independently of {@link conv2dForward}'s loops.
 * Memory is rows·cols·8 bytes: meant for small layers.
 *
 * @throws NumericCoreError when the kernel does not match the geometry or the matrix would exceed 2^27 entries.
 */
export function denseMatrixOfConv2d(kernel: ConvKernel, geometry: Conv2dGeometry): DenseMatrix {
  const g = geometry;
  const [co, ci, kh, kw] = kernel.shape;
  if (co !== g.outChannels || ci !== g.inChannels || kh !== g.kernelHeight || kw !== g.kernelWidth) {
    throw new NumericCoreError(
      'kernel.shape',
      `is [${kernel.shape.join(', ')}]`,
      'the shape the geometry was built for',
    );
  }
  assertLength('kernel.data', kernel.data, co * ci * kh * kw);
  const rows = conv2dOutputSize(g);
  const cols = conv2dInputSize(g);
  if (rows * cols > 2 ** 27) {
    throw new NumericCoreError('geometry', `the matrix would have ${rows}×${cols} entries`, 'at most 2^27 entries');
  }
  const data = new Float64Array(rows * cols);
  const { inputHeight: h, inputWidth: w, outputHeight: ho, outputWidth: wo } = g;
  for (let o = 0; o < co; o++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        const row = (o * ho + i) * wo + j;
        for (let c = 0; c < ci; c++) {
          for (let a = 0; a < kh; a++) {
            let r = i * g.strideHeight + a - g.padTop;
            if (g.paddingMode === 'circular') r = ((r % h) + h) % h;
            else if (r < 0 || r >= h) continue;
            for (let b = 0; b < kw; b++) {
              let s = j * g.strideWidth + b - g.padLeft;
              if (g.paddingMode === 'circular') s = ((s % w) + w) % w;
              else if (s < 0 || s >= w) continue;
              data[row * cols + (c * h + r) * w + s]! += kernel.data[((o * ci + c) * kh + a) * kw + b]!;
            }
          }
        }
      }
    }
  }
  return { rows, cols, data };
}
