/** Bilinear resampling of an interleaved image, used by `--resize` of image inputs. */

/**
 * Resizes a row-major, channel-interleaved image (`data[(y·width + x)·channels + c]`) to `outWidth × outHeight` by
 * bilinear interpolation with half-pixel centres: output pixel (x, y) samples the source at
 * ((x + ½)·width/outWidth − ½, (y + ½)·height/outHeight − ½), clamped to the image, as PyTorch's
 * `interpolate(mode='bilinear', align_corners=False, antialias=False)`.
 *
 * It does not antialias: torchvision's `Resize` on PIL images does when shrinking, so a shrunken image differs from a
 * PIL pipeline's (and no uint8 rounding is applied). Aspect ratio is not preserved (no crop).
 *
 * @returns a new array of `outWidth · outHeight · channels` values
 */
export function resizeBilinear(
  data: Float64Array,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
): Float64Array {
  const out = new Float64Array(outWidth * outHeight * channels);
  const axis = (i: number, inSize: number, outSize: number): [number, number, number] => {
    const s = Math.min(Math.max(((i + 0.5) * inSize) / outSize - 0.5, 0), inSize - 1);
    const lo = Math.floor(s);
    return [lo, Math.min(lo + 1, inSize - 1), s - lo];
  };
  for (let y = 0; y < outHeight; y++) {
    const [y0, y1, ty] = axis(y, height, outHeight);
    for (let x = 0; x < outWidth; x++) {
      const [x0, x1, tx] = axis(x, width, outWidth);
      for (let c = 0; c < channels; c++) {
        const at = (yy: number, xx: number) => data[(yy * width + xx) * channels + c] as number;
        const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * tx;
        const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * tx;
        out[(y * outWidth + x) * channels + c] = top + (bottom - top) * ty;
      }
    }
  }
  return out;
}
