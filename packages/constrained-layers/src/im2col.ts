/**
 * im2col for a 2-D convolution (zero padding, dilation 1) as a plain loop over typed arrays (the wasm heap views
 * of tensors).
 */

/** Geometry of the patch matrix: rows `m = (n, i, j)` (`N·Ho·Wo`), columns `(a, b, c)` (`kh·kw·C`). */
export interface PatchGeometry {
  n: number;
  h: number;
  w: number;
  c: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ho: number;
  wo: number;
  /** Zero padding before the first row / column. */
  top: number;
  left: number;
}

/** Output columns `j` whose input column `j·sw + b − left` lies inside `[0, w)`: `[first, end)`. */
function validColumns(g: PatchGeometry, b: number): [number, number] {
  const first = Math.max(0, Math.ceil((g.left - b) / g.sw));
  const end = Math.min(g.wo, Math.floor((g.w - 1 + g.left - b) / g.sw) + 1);
  return [first, Math.max(first, end)];
}

/**
 * Transposed patch matrix `out[(a,b,c), m] = x[n, i·sh+a−top, j·sw+b−left, c]` (0 outside the image), shape
 * `[kh·kw·C, N·Ho·Wo]`. Written one output row segment (`Wo` entries) per (a, b, c, n, i), so the `Wo` input pixels
 * read for one segment stay in cache across all `c`.
 */
export function fillPatchesTransposed(x: Float32Array, out: Float32Array, g: PatchGeometry): void {
  const rows = g.n * g.ho * g.wo;
  for (let a = 0; a < g.kh; a++) {
    for (let b = 0; b < g.kw; b++) {
      const [j0, j1] = validColumns(g, b);
      const colBase = (a * g.kw + b) * g.c;
      for (let n = 0; n < g.n; n++) {
        for (let i = 0; i < g.ho; i++) {
          const m = (n * g.ho + i) * g.wo;
          const r = i * g.sh + a - g.top;
          const inside = r >= 0 && r < g.h;
          const rowBase = (n * g.h + r) * g.w;
          for (let c = 0; c < g.c; c++) {
            const dst = (colBase + c) * rows + m;
            if (!inside) {
              out.fill(0, dst, dst + g.wo);
              continue;
            }
            for (let j = 0; j < j0; j++) out[dst + j] = 0;
            let src = (rowBase + j0 * g.sw + b - g.left) * g.c + c;
            const step = g.sw * g.c;
            for (let j = j0; j < j1; j++, src += step) out[dst + j] = x[src]!;
            for (let j = j1; j < g.wo; j++) out[dst + j] = 0;
          }
        }
      }
    }
  }
}
