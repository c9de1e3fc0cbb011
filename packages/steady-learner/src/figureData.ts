/**
 * Plot-ready data of the steady-learner figures (spec §7). Libraries return data; the CLI draws it. Every figure
 * has a file base name (the original's), axis labels and the series/groups/cells to draw.
 */

/** A curve: mean over repeats (`y`), optional ±std band and EMA-smoothed curve. */
export interface LineSeries {
  label: string;
  x: number[];
  y: number[];
  std?: number[];
  smoothed?: number[];
}

/** A line chart. */
export interface LineFigure {
  kind: 'line';
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  logY?: boolean;
  yRange?: [number, number];
}

/** One violin: the raw values of one condition. */
export interface ViolinGroup {
  label: string;
  values: number[];
}

/** A violin chart (medians shown, as the original). */
export interface ViolinFigure {
  kind: 'violin';
  xLabel: string;
  yLabel: string;
  groups: ViolinGroup[];
  logY?: boolean;
  yRange?: [number, number];
}

/**
 * A heat map on the data plane: `values[iy][ix]` at (x[ix], y[iy]) — rows are y, so no transposition (spec §5).
 * `null` marks cells left blank (e.g. training regions in the LP maps); `Infinity` marks infeasible LPs.
 */
export interface HeatmapFigure {
  kind: 'heatmap';
  xLabel: string;
  yLabel: string;
  x: number[];
  y: number[];
  values: (number | null)[][];
  colorLabel: string;
  /** Points drawn on top (the training inputs). */
  points?: { x: number; y: number }[];
  /** 1 where a cell's region differs from its right or upper neighbour (region boundaries). */
  boundaries?: number[][];
}

/** Any figure. */
export type SteadyFigure = LineFigure | ViolinFigure | HeatmapFigure;

/** Element-wise mean and (population) std of equally long arrays. */
export function meanAndStd(arrays: ArrayLike<number>[]): { mean: number[]; std: number[] } {
  const n = arrays[0]?.length ?? 0;
  const mean = new Array<number>(n).fill(0);
  const std = new Array<number>(n).fill(0);
  for (const a of arrays) for (let i = 0; i < n; i++) mean[i] = (mean[i] as number) + (a[i] as number) / arrays.length;
  for (const a of arrays) {
    for (let i = 0; i < n; i++)
      std[i] = (std[i] as number) + ((a[i] as number) - (mean[i] as number)) ** 2 / arrays.length;
  }
  return { mean, std: std.map(Math.sqrt) };
}

/** At most `max` evenly spaced values of `values` (violins of 100k points draw the same shape from 2k). */
export function evenlySubsample(values: ArrayLike<number>, max: number): number[] {
  if (values.length <= max) return Array.from(values);
  const out: number[] = [];
  for (let i = 0; i < max; i++) out.push(values[Math.floor((i * values.length) / max)] as number);
  return out;
}

/** Median of a list (NaN-free input). */
export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return 0;
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** 1..E as epoch numbers for x axes. */
export function epochAxis(epochs: number): number[] {
  return Array.from({ length: epochs }, (_, e) => e + 1);
}
