/**
 * Float64 brute-force references for 2-D convolutions (NHWC, kernel [kh, kw, Cin, Cout]) and their gradients under
 * the loss `L = Σ y ⊙ weights`. Only index arithmetic, no tfjs: an independent check of every tfjs path.
 */

export interface ConvGeometry {
  n: number;
  h: number;
  w: number;
  cin: number;
  kh: number;
  kw: number;
  cout: number;
  sh: number;
  sw: number;
  outH: number;
  outW: number;
  /** Source row of padded row `i·sh + a`, or −1 for a zero pad. */
  row: (i: number, a: number) => number;
  col: (j: number, b: number) => number;
}

/** Shapes of x `[N,H,W,Cin]` and k `[kh,kw,Cin,Cout]`, the strides, and the index maps of one geometry. */
function geometry(
  xShape: number[],
  kShape: number[],
  s: [number, number],
  maps: (dims: { h: number; w: number; kh: number; kw: number; sh: number; sw: number }) => {
    outH: number;
    outW: number;
    row: ConvGeometry['row'];
    col: ConvGeometry['col'];
  },
): ConvGeometry {
  const [n, h, w, cin] = xShape as [number, number, number, number];
  const [kh, kw, , cout] = kShape as [number, number, number, number];
  const [sh, sw] = s;
  return { n, h, w, cin, kh, kw, cout, sh, sw, ...maps({ h, w, kh, kw, sh, sw }) };
}

/** Geometry of `conv2d(x, k, s, 'same' | 'valid')` with tfjs/TensorFlow padding (extra pad at the bottom/right). */
export function zeroPadGeometry(
  xShape: number[],
  kShape: number[],
  s: [number, number],
  pad: 'same' | 'valid',
): ConvGeometry {
  return geometry(xShape, kShape, s, ({ h, w, kh, kw, sh, sw }) => {
    const outH = pad === 'same' ? Math.ceil(h / sh) : Math.floor((h - kh) / sh) + 1;
    const outW = pad === 'same' ? Math.ceil(w / sw) : Math.floor((w - kw) / sw) + 1;
    const top = pad === 'same' ? Math.floor(Math.max((outH - 1) * sh + kh - h, 0) / 2) : 0;
    const left = pad === 'same' ? Math.floor(Math.max((outW - 1) * sw + kw - w, 0) / 2) : 0;
    const inside = (v: number, size: number) => (v >= 0 && v < size ? v : -1);
    return {
      outH,
      outW,
      row: (i, a) => inside(i * sh + a - top, h),
      col: (j, b) => inside(j * sw + b - left, w),
    };
  });
}

/** Geometry of the circular conv of spec §2.2: source `(i·s + a − ⌊k/2⌋) mod H`, output `⌈H/s⌉`. */
export function circularGeometry(xShape: number[], kShape: number[], s: [number, number]): ConvGeometry {
  const mod = (v: number, m: number) => ((v % m) + m) % m;
  return geometry(xShape, kShape, s, ({ h, w, kh, kw, sh, sw }) => ({
    outH: Math.ceil(h / sh),
    outW: Math.ceil(w / sw),
    row: (i, a) => mod(i * sh + a - Math.floor(kh / 2), h),
    col: (j, b) => mod(j * sw + b - Math.floor(kw / 2), w),
  }));
}

/** Visits every (n, i, j, a, b, c, o) term `y[n,i,j,o] += k[a,b,c,o] · x[n,r,q,c]` with flat indices. */
function eachTerm(g: ConvGeometry, visit: (yi: number, ki: number, xi: number) => void): void {
  for (let n = 0; n < g.n; n++)
    for (let i = 0; i < g.outH; i++)
      for (let j = 0; j < g.outW; j++)
        for (let a = 0; a < g.kh; a++) {
          const r = g.row(i, a);
          if (r < 0) continue;
          for (let b = 0; b < g.kw; b++) {
            const q = g.col(j, b);
            if (q < 0) continue;
            for (let c = 0; c < g.cin; c++)
              for (let o = 0; o < g.cout; o++) {
                visit(
                  ((n * g.outH + i) * g.outW + j) * g.cout + o,
                  ((a * g.kw + b) * g.cin + c) * g.cout + o,
                  ((n * g.h + r) * g.w + q) * g.cin + c,
                );
              }
          }
        }
}

/** Forward conv in float64. */
export function convForward(g: ConvGeometry, x: ArrayLike<number>, k: ArrayLike<number>): Float64Array {
  const y = new Float64Array(g.n * g.outH * g.outW * g.cout);
  eachTerm(g, (yi, ki, xi) => {
    y[yi]! += k[ki]! * x[xi]!;
  });
  return y;
}

/** Gradients of `Σ y ⊙ weights` with respect to x and k, in float64. */
export function convGradients(
  g: ConvGeometry,
  x: ArrayLike<number>,
  k: ArrayLike<number>,
  weights: ArrayLike<number>,
): { dx: Float64Array; dk: Float64Array } {
  const dx = new Float64Array(g.n * g.h * g.w * g.cin);
  const dk = new Float64Array(g.kh * g.kw * g.cin * g.cout);
  eachTerm(g, (yi, ki, xi) => {
    dx[xi]! += k[ki]! * weights[yi]!;
    dk[ki]! += x[xi]! * weights[yi]!;
  });
  return { dx, dk };
}

/** Deterministic pseudo-random values in [−1, 1) (LCG), so failures reproduce. */
export function seededValues(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** Largest |a − b| relative to max(1, max |b|). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!));
  return err / scale;
}
