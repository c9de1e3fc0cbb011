/**
 * Float64 max pooling over (H, W) windows of a (C, H, W) tensor as PyTorch `MaxPool2d` (padding with −∞, first
 * maximum wins), with the pieces the bounds need: the arg-max for back-propagation, the free-coordinate mask
 * propagation of the local bound, and the Lipschitz constant of Avant & Morgansen (2023), Thm 3 / Prop 5.
 */

/** Window geometry of a 2-D pooling layer on a (C, H, W) input. */
export interface Pool2dGeometry {
  channels: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
}

/** Max pooling forward: the pooled values and, per output, the flat index of the input that won (−1: none). */
export function maxPool2dForward(g: Pool2dGeometry, x: Float64Array): { y: Float64Array; argmax: Int32Array } {
  const { channels, inH, inW, outH, outW } = g;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [ph, pw] = g.padding;
  const y = new Float64Array(channels * outH * outW);
  const argmax = new Int32Array(y.length).fill(-1);
  for (let c = 0; c < channels; c++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        let best = Number.NEGATIVE_INFINITY;
        let bestIndex = -1;
        for (let a = 0; a < kh; a++) {
          const h = oh * sh + a - ph;
          if (h < 0 || h >= inH) continue;
          for (let b = 0; b < kw; b++) {
            const w = ow * sw + b - pw;
            if (w < 0 || w >= inW) continue;
            const idx = (c * inH + h) * inW + w;
            const v = x[idx] as number;
            if (v > best) {
              best = v;
              bestIndex = idx;
            }
          }
        }
        const o = (c * outH + oh) * outW + ow;
        y[o] = best;
        argmax[o] = bestIndex;
      }
    }
  }
  return { y, argmax };
}

/** Back-propagates `gy` through max pooling: each output's gradient goes to its arg-max input. */
export function maxPool2dBackward(inSize: number, argmax: Int32Array, gy: Float64Array): Float64Array {
  const gx = new Float64Array(inSize);
  for (let o = 0; o < argmax.length; o++) {
    const idx = argmax[o] as number;
    if (idx >= 0) gx[idx] = (gx[idx] as number) + (gy[o] as number);
  }
  return gx;
}

/**
 * Free-coordinate mask after max pooling (spec §4.3 / pitfall 6): an output can move only if some input of its
 * window can move. `mask` null means every input is free.
 */
export function maxPool2dMask(g: Pool2dGeometry, mask: Uint8Array | null): Uint8Array {
  const free = new Float64Array(g.channels * g.inH * g.inW);
  for (let i = 0; i < free.length; i++) free[i] = mask === null || mask[i] !== 0 ? 1 : 0;
  const { y } = maxPool2dForward(g, free);
  const out = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = (y[i] as number) > 0 ? 1 : 0;
  return out;
}

/**
 * Lipschitz constant (ℓ2) of max pooling: √(n_max), n_max = the largest number of windows sharing one input,
 * bounded by ⌈kh/sh⌉·⌈kw/sw⌉ (Avant & Morgansen 2023, Thm 3). Padding can only lower the count, so this stays an
 * upper bound with padding (the original ignores padding the same way).
 */
export function maxPool2dLipschitz(kernel: [number, number], stride: [number, number]): number {
  return Math.sqrt(Math.ceil(kernel[0] / stride[0]) * Math.ceil(kernel[1] / stride[1]));
}
