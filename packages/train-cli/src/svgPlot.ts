/**
 * Small, dependency-free SVG charts for lipkit's reports: line charts (linear or log axes), bar charts, violin
 * plots and heat maps. Libraries return plain data; CLI commands draw it with these functions and save it with
 * `writePlot` (SVG, plus PNG through resvg). Non-finite values are skipped (a line gets a gap), never drawn as 0.
 */

/** Okabe–Ito palette: distinguishable for colour-blind readers. */
export const PLOT_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

/** One line of a {@link lineChart}. */
export interface LineSeries {
  /** Legend text. */
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Default: the palette colour of the series' index. */
  color?: string;
  /** Dashed stroke (e.g. for bounds drawn beside measured curves). Default false. */
  dashed?: boolean;
  /** Draw a dot at every point. Default: true when the series has ≤ 40 points. */
  markers?: boolean;
  /** A shaded band under the line, e.g. mean ± std over repeats (see {@link LineBand}). Default: none. */
  band?: LineBand;
}

/**
 * A filled band from `lower[k]` to `upper[k]` at `x[k]`, in the series colour, drawn under every line. Points where a
 * bound is non-finite (or ≤ 0 on a log axis) split the band into separate pieces, like the line's gaps.
 */
export interface LineBand {
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  /** Fill opacity in [0, 1]. Default 0.3 (matplotlib `fill_between(alpha=0.3)`, as the steady-learner plots). */
  opacity?: number;
}

/** A horizontal reference line (e.g. a constraint or a global bound). */
export interface ReferenceLine {
  y: number;
  label: string;
  color?: string;
}

/** Input of {@link lineChart}. */
export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Logarithmic x axis (non-positive x values are skipped). Default false. */
  logX?: boolean;
  /** Logarithmic y axis (non-positive y values are skipped). Default false. */
  logY?: boolean;
  referenceLines?: ReferenceLine[];
  /** Corner of the legend box, chosen where the data leaves room. Default `'top-right'`. */
  legendAt?: 'top-right' | 'bottom-right' | 'bottom-left';
  /** Pixels. Defaults 720 × 440. */
  width?: number;
  height?: number;
}

/** Input of {@link barChart}. */
export interface BarChartSpec {
  title: string;
  yLabel: string;
  bars: { label: string; value: number; color?: string; note?: string }[];
  logY?: boolean;
  width?: number;
  height?: number;
}

/** Input of {@link violinChart}: one violin (kernel density, mirrored) per group, with median and quartiles. */
export interface ViolinChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  groups: { label: string; values: ArrayLike<number>; color?: string }[];
  width?: number;
  height?: number;
}

/** Input of {@link heatmapChart}: a grid of values over a rectangle of the plane. */
export interface HeatmapChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Extent of the grid in data coordinates: cell (i, j) covers x ∈ xRange split in `columns`, same for y. */
  xRange: [number, number];
  yRange: [number, number];
  columns: number;
  rows: number;
  /**
   * Row-major values, row 0 at the **bottom** (smallest y), column 0 at the left (smallest x): `values[r*columns+c]`
   * is the cell at x index c, y index r. (The original plotted its region map transposed; this layout is explicit.)
   */
  values: ArrayLike<number>;
  /** `categorical`: each distinct value gets a palette colour (region ids); `continuous` (default): a blue scale. */
  scale?: 'continuous' | 'categorical';
  /** Points drawn on top (e.g. training samples). */
  points?: { x: number; y: number; color?: string }[];
  width?: number;
  height?: number;
}

const MARGIN = { left: 78, right: 24, top: 44, bottom: 58 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return Number(v.toPrecision(4)).toString();
}

/** "Nice" tick positions covering [lo, hi] (Heckbert's 1-2-5 rule), about `count` of them. */
function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

interface Axis {
  lo: number;
  hi: number;
  log: boolean;
}

function axisOf(values: number[], log: boolean, extra: number[] = []): Axis {
  const vs = values.concat(extra).filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (vs.length === 0) return { lo: log ? 1 : 0, hi: log ? 10 : 1, log };
  let lo = Math.min(...vs);
  let hi = Math.max(...vs);
  if (log) {
    lo = 10 ** Math.floor(Math.log10(lo));
    hi = 10 ** Math.ceil(Math.log10(hi));
    if (lo === hi) hi = lo * 10;
  } else {
    if (lo === hi) {
      const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
      lo -= d;
      hi += d;
    }
    const pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  return { lo, hi, log };
}

function project(a: Axis, v: number, p0: number, p1: number): number {
  const t = a.log
    ? (Math.log10(v) - Math.log10(a.lo)) / (Math.log10(a.hi) - Math.log10(a.lo))
    : (v - a.lo) / (a.hi - a.lo);
  return p0 + t * (p1 - p0);
}

function ticksOf(a: Axis): number[] {
  if (!a.log) return niceTicks(a.lo, a.hi);
  const out: number[] = [];
  for (let e = Math.round(Math.log10(a.lo)); e <= Math.round(Math.log10(a.hi)); e++) out.push(10 ** e);
  return out;
}

function frame(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">\n` +
    `<rect width="${width}" height="${height}" fill="white"/>\n` +
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>\n` +
    `${body}</svg>\n`
  );
}

function axesSvg(
  xa: Axis | null,
  ya: Axis,
  box: { x0: number; x1: number; y0: number; y1: number },
  xLabel: string,
  yLabel: string,
): string {
  const parts: string[] = [];
  for (const t of ticksOf(ya)) {
    const y = project(ya, t, box.y1, box.y0);
    parts.push(`<line x1="${box.x0}" x2="${box.x1}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${box.x0 - 6}" y="${y + 4}" text-anchor="end">${esc(fmt(t))}</text>`);
  }
  if (xa) {
    for (const t of ticksOf(xa)) {
      const x = project(xa, t, box.x0, box.x1);
      parts.push(`<line x1="${x}" x2="${x}" y1="${box.y0}" y2="${box.y1}" stroke="#e5e5e5"/>`);
      parts.push(`<text x="${x}" y="${box.y1 + 16}" text-anchor="middle">${esc(fmt(t))}</text>`);
    }
  }
  parts.push(
    `<rect x="${box.x0}" y="${box.y0}" width="${box.x1 - box.x0}" height="${box.y1 - box.y0}" fill="none" stroke="#333"/>`,
  );
  parts.push(`<text x="${(box.x0 + box.x1) / 2}" y="${box.y1 + 40}" text-anchor="middle">${esc(xLabel)}</text>`);
  const cy = (box.y0 + box.y1) / 2;
  parts.push(`<text x="18" y="${cy}" text-anchor="middle" transform="rotate(-90 18 ${cy})">${esc(yLabel)}</text>`);
  return `${parts.join('\n')}\n`;
}

function legendSvg(entries: { name: string; color: string; dashed?: boolean }[], x: number, y: number): string {
  if (entries.length === 0) return '';
  const w = Math.max(...entries.map((e) => e.name.length)) * 7 + 40;
  const parts = [
    `<rect x="${x - w}" y="${y}" width="${w}" height="${entries.length * 18 + 8}" fill="white" fill-opacity="0.85" stroke="#bbb"/>`,
  ];
  entries.forEach((e, i) => {
    const ly = y + 14 + i * 18;
    const dash = e.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<line x1="${x - w + 8}" x2="${x - w + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${e.color}" stroke-width="2"${dash}/>`,
    );
    parts.push(`<text x="${x - w + 36}" y="${ly}">${esc(e.name)}</text>`);
  });
  return `${parts.join('\n')}\n`;
}

/** A line chart of one or more series (linear or log axes), with optional horizontal reference lines. */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? 440;
  const box = { x0: MARGIN.left, x1: width - MARGIN.right, y0: MARGIN.top, y1: height - MARGIN.bottom };
  const xs = spec.series.flatMap((s) => Array.from(s.x));
  const ys = spec.series.flatMap((s) =>
    s.band ? [...Array.from(s.y), ...Array.from(s.band.lower), ...Array.from(s.band.upper)] : Array.from(s.y),
  );
  const xa = axisOf(xs, spec.logX ?? false);
  const ya = axisOf(
    ys,
    spec.logY ?? false,
    (spec.referenceLines ?? []).map((r) => r.y),
  );
  const ok = (a: Axis, v: number | undefined): v is number =>
    v !== undefined && Number.isFinite(v) && (!a.log || v > 0);
  const body: string[] = [axesSvg(xa, ya, box, spec.xLabel, spec.yLabel)];
  const legend: { name: string; color: string; dashed?: boolean }[] = [];
  const colorOf = (s: LineSeries, i: number) => s.color ?? PLOT_COLORS[i % PLOT_COLORS.length]!;
  // Bands first, so that every line stays visible on top of every band.
  spec.series.forEach((s, i) => {
    if (!s.band) return;
    const n = Math.min(s.x.length, s.band.lower.length, s.band.upper.length);
    const opacity = s.band.opacity ?? 0.3;
    let piece: { px: string; lo: string; hi: string }[] = [];
    const flush = () => {
      if (piece.length > 0) {
        const top = piece.map((p) => `${p.px} ${p.hi}`).join(' L');
        const bottom = piece
          .slice()
          .reverse()
          .map((p) => `${p.px} ${p.lo}`)
          .join(' L');
        body.push(
          `<path class="band" d="M${top} L${bottom} Z" fill="${colorOf(s, i)}" fill-opacity="${opacity}" stroke="none"/>\n`,
        );
      }
      piece = [];
    };
    for (let k = 0; k < n; k++) {
      const xv = s.x[k];
      const lo = s.band.lower[k];
      const hi = s.band.upper[k];
      if (!ok(xa, xv) || !ok(ya, lo) || !ok(ya, hi)) {
        flush();
        continue;
      }
      piece.push({
        px: project(xa, xv, box.x0, box.x1).toFixed(2),
        lo: project(ya, lo, box.y1, box.y0).toFixed(2),
        hi: project(ya, hi, box.y1, box.y0).toFixed(2),
      });
    }
    flush();
  });
  spec.series.forEach((s, i) => {
    const color = colorOf(s, i);
    const n = Math.min(s.x.length, s.y.length);
    const markers = s.markers ?? n <= 40;
    let d = '';
    let pen = false;
    const dots: string[] = [];
    for (let k = 0; k < n; k++) {
      const xv = s.x[k];
      const yv = s.y[k];
      if (!ok(xa, xv) || !ok(ya, yv)) {
        pen = false;
        continue;
      }
      const px = project(xa, xv, box.x0, box.x1).toFixed(2);
      const py = project(ya, yv, box.y1, box.y0).toFixed(2);
      d += `${pen ? 'L' : 'M'}${px} ${py} `;
      pen = true;
      if (markers) dots.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${color}"/>`);
    }
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    if (d) body.push(`<path d="${d.trim()}" fill="none" stroke="${color}" stroke-width="1.8"${dash}/>\n`);
    if (dots.length) body.push(`${dots.join('')}\n`);
    legend.push({ name: s.name, color, dashed: s.dashed ?? false });
  });
  for (const r of spec.referenceLines ?? []) {
    if (!ok(ya, r.y)) continue;
    const y = project(ya, r.y, box.y1, box.y0);
    const color = r.color ?? '#555';
    body.push(
      `<line x1="${box.x0}" x2="${box.x1}" y1="${y}" y2="${y}" stroke="${color}" stroke-dasharray="2 3"/>` +
        `<text x="${box.x0 + 4}" y="${y - 4}" fill="${color}">${esc(r.label)}</text>\n`,
    );
  }
  const legendHeight = legend.length * 18 + 8;
  const legendWidth = legend.length === 0 ? 0 : Math.max(...legend.map((e) => e.name.length)) * 7 + 40;
  const at = spec.legendAt ?? 'top-right';
  body.push(
    legendSvg(
      legend,
      at === 'bottom-left' ? box.x0 + 6 + legendWidth : box.x1 - 6,
      at === 'top-right' ? box.y0 + 6 : box.y1 - 6 - legendHeight,
    ),
  );
  return frame(width, height, spec.title, body.join(''));
}

/** A bar chart (one bar per entry, labels under the bars, value above). */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? Math.max(480, 90 * spec.bars.length + MARGIN.left + MARGIN.right);
  const height = spec.height ?? 440;
  const box = { x0: MARGIN.left, x1: width - MARGIN.right, y0: MARGIN.top, y1: height - MARGIN.bottom - 20 };
  const log = spec.logY ?? false;
  const values = spec.bars.map((b) => b.value);
  const ya = axisOf(log ? values : values.concat([0]), log);
  const body: string[] = [axesSvg(null, ya, box, '', spec.yLabel)];
  const slot = (box.x1 - box.x0) / Math.max(1, spec.bars.length);
  const base = log ? box.y1 : project(ya, 0, box.y1, box.y0);
  spec.bars.forEach((b, i) => {
    const cx = box.x0 + slot * (i + 0.5);
    const color = b.color ?? PLOT_COLORS[i % PLOT_COLORS.length]!;
    if (Number.isFinite(b.value) && (!log || b.value > 0)) {
      const top = project(ya, b.value, box.y1, box.y0);
      body.push(
        `<rect x="${cx - slot * 0.35}" y="${Math.min(top, base)}" width="${slot * 0.7}" height="${Math.abs(base - top)}" fill="${color}"/>` +
          `<text x="${cx}" y="${Math.min(top, base) - 4}" text-anchor="middle">${esc(fmt(b.value))}</text>\n`,
      );
    } else {
      body.push(`<text x="${cx}" y="${base - 6}" text-anchor="middle" fill="#a00">${esc(b.note ?? 'n/a')}</text>\n`);
    }
    body.push(`<text x="${cx}" y="${box.y1 + 16}" text-anchor="middle">${esc(b.label)}</text>\n`);
    if (b.note && Number.isFinite(b.value))
      body.push(`<text x="${cx}" y="${box.y1 + 32}" text-anchor="middle" fill="#555">${esc(b.note)}</text>\n`);
  });
  return frame(width, height, spec.title, body.join(''));
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Violin plots: a Gaussian kernel density (Silverman bandwidth) per group, mirrored, with median and quartiles. */
export function violinChart(spec: ViolinChartSpec): string {
  const width = spec.width ?? Math.max(480, 110 * spec.groups.length + MARGIN.left + MARGIN.right);
  const height = spec.height ?? 440;
  const box = { x0: MARGIN.left, x1: width - MARGIN.right, y0: MARGIN.top, y1: height - MARGIN.bottom };
  const all = spec.groups.flatMap((g) => Array.from(g.values).filter(Number.isFinite));
  const ya = axisOf(all, false);
  const body: string[] = [axesSvg(null, ya, box, spec.xLabel, spec.yLabel)];
  const slot = (box.x1 - box.x0) / Math.max(1, spec.groups.length);
  spec.groups.forEach((g, i) => {
    const cx = box.x0 + slot * (i + 0.5);
    const color = g.color ?? PLOT_COLORS[i % PLOT_COLORS.length]!;
    body.push(`<text x="${cx}" y="${box.y1 + 16}" text-anchor="middle">${esc(g.label)}</text>\n`);
    const v = Array.from(g.values)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    if (v.length === 0) return;
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1));
    const iqr = quantile(v, 0.75) - quantile(v, 0.25);
    const spread = Math.min(sd, iqr / 1.34 || sd);
    const bw = 0.9 * (spread > 0 ? spread : Math.abs(mean) * 0.01 || 1) * v.length ** -0.2;
    const lo = v[0]!;
    const hi = v[v.length - 1]!;
    const steps = 60;
    const dens: { y: number; d: number }[] = [];
    for (let k = 0; k <= steps; k++) {
      const y = hi > lo ? lo + ((hi - lo) * k) / steps : lo;
      let d = 0;
      for (const x of v) d += Math.exp(-0.5 * ((y - x) / bw) ** 2);
      dens.push({ y, d });
    }
    const dmax = Math.max(...dens.map((p) => p.d));
    const half = slot * 0.4;
    const right = dens.map(
      (p) => `${(cx + (half * p.d) / dmax).toFixed(2)} ${project(ya, p.y, box.y1, box.y0).toFixed(2)}`,
    );
    const left = dens
      .slice()
      .reverse()
      .map((p) => `${(cx - (half * p.d) / dmax).toFixed(2)} ${project(ya, p.y, box.y1, box.y0).toFixed(2)}`);
    body.push(
      `<path d="M${right.join(' L')} L${left.join(' L')} Z" fill="${color}" fill-opacity="0.45" stroke="${color}"/>\n`,
    );
    const q1 = project(ya, quantile(v, 0.25), box.y1, box.y0);
    const q3 = project(ya, quantile(v, 0.75), box.y1, box.y0);
    const med = project(ya, quantile(v, 0.5), box.y1, box.y0);
    body.push(
      `<line x1="${cx}" x2="${cx}" y1="${q1}" y2="${q3}" stroke="#222" stroke-width="4"/>` +
        `<circle cx="${cx}" cy="${med}" r="3.5" fill="white" stroke="#222"/>\n`,
    );
  });
  return frame(width, height, spec.title, body.join(''));
}

function blueScale(t: number): string {
  const c = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${c(247, 8)},${c(251, 48)},${c(255, 107)})`;
}

/** A heat map over a rectangle: continuous values on a blue scale, or categories (e.g. activation regions). */
export function heatmapChart(spec: HeatmapChartSpec): string {
  const width = spec.width ?? 560;
  const height = spec.height ?? 520;
  const box = { x0: MARGIN.left, x1: width - MARGIN.right - 40, y0: MARGIN.top, y1: height - MARGIN.bottom };
  const xa: Axis = { lo: spec.xRange[0], hi: spec.xRange[1], log: false };
  const ya: Axis = { lo: spec.yRange[0], hi: spec.yRange[1], log: false };
  const cw = (box.x1 - box.x0) / spec.columns;
  const ch = (box.y1 - box.y0) / spec.rows;
  const finite = Array.from(spec.values).filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const categories = new Map<number, string>();
  const cells: string[] = [];
  for (let r = 0; r < spec.rows; r++) {
    for (let c = 0; c < spec.columns; c++) {
      const v = spec.values[r * spec.columns + c]!;
      let fill: string;
      if (!Number.isFinite(v)) fill = '#cccccc';
      else if (spec.scale === 'categorical') {
        if (!categories.has(v)) {
          // Golden-angle hues keep neighbouring region ids apart even when there are hundreds of regions.
          categories.set(v, `hsl(${Math.round((categories.size * 137.508) % 360)},65%,62%)`);
        }
        fill = categories.get(v)!;
      } else fill = blueScale(hi > lo ? (v - lo) / (hi - lo) : 0.5);
      const x = box.x0 + c * cw;
      const y = box.y1 - (r + 1) * ch;
      cells.push(
        `<rect x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${(cw + 0.4).toFixed(2)}" height="${(ch + 0.4).toFixed(2)}" fill="${fill}"/>`,
      );
    }
  }
  const body: string[] = [cells.join(''), '\n', axesSvg(xa, ya, box, spec.xLabel, spec.yLabel)];
  for (const p of spec.points ?? []) {
    body.push(
      `<circle cx="${project(xa, p.x, box.x0, box.x1).toFixed(2)}" cy="${project(ya, p.y, box.y1, box.y0).toFixed(2)}" r="2.5" fill="${p.color ?? '#000'}"/>`,
    );
  }
  if (spec.scale !== 'categorical' && finite.length) {
    const lx = box.x1 + 14;
    for (let k = 0; k < 50; k++) {
      const y = box.y1 - ((k + 1) * (box.y1 - box.y0)) / 50;
      body.push(
        `<rect x="${lx}" y="${y.toFixed(2)}" width="14" height="${((box.y1 - box.y0) / 50 + 0.5).toFixed(2)}" fill="${blueScale(k / 49)}"/>`,
      );
    }
    body.push(
      `<text x="${lx + 7}" y="${box.y0 - 6}" text-anchor="middle">${esc(fmt(hi))}</text>` +
        `<text x="${lx + 7}" y="${box.y1 + 14}" text-anchor="middle">${esc(fmt(lo))}</text>\n`,
    );
  }
  return frame(width, height, spec.title, body.join(''));
}
