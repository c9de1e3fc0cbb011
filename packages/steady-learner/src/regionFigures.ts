/**
 * The region figures of spec §5 as heat maps on the data plane (ground truth, network output, Lipschitz surface,
 * Theorem-2 bound and number of combined training regions), indexed consistently: `values[iy][ix]` is the point
 * (axis[ix], axis[iy]) — the original draws plots 2–5 mirrored about x1 = x2 (its transposition bug).
 */
import type { HeatmapFigure } from './figureData.js';
import type { RegionsExperimentResult } from './steadyExperiments.js';

/** Summary numbers of a region map. */
export interface RegionSummary {
  numRegions: number;
  numTrainingRegionsOnGrid: number;
  numTrainingPatterns: number;
  /** Non-training regions whose LP was feasible / infeasible. */
  feasible: number;
  infeasible: number;
  /** Distinct k values among feasible non-training regions. */
  combinedValues: number[];
}

/** Heat maps keyed by the original's file base names, plus a summary. */
export function regionFigures(result: RegionsExperimentResult): {
  figures: Record<string, HeatmapFigure>;
  summary: RegionSummary;
} {
  const { map, groundTruth, run } = result;
  const G = map.resolution;
  const axis = Array.from(map.axis);
  const grid = (cell: (i: number) => number | null) =>
    Array.from({ length: G }, (_, iy) => Array.from({ length: G }, (_, ix) => cell(iy * G + ix)));
  const regionAt = (i: number) => map.regions[map.regionOf[i] as number];
  const boundaries = grid((i) => {
    const ix = i % G;
    const iy = (i - ix) / G;
    const r = map.regionOf[i];
    return (ix + 1 < G && map.regionOf[i + 1] !== r) || (iy + 1 < G && map.regionOf[i + G] !== r) ? 1 : 0;
  }) as number[][];
  const plane = run.data.train.plane;
  const points = Array.from({ length: plane.length / 2 }, (_, p) => ({
    x: plane[2 * p] as number,
    y: plane[2 * p + 1] as number,
  }));
  const heat = (values: (number | null)[][], colorLabel: string, withBoundaries: boolean): HeatmapFigure => ({
    kind: 'heatmap',
    xLabel: 'x1',
    yLabel: 'x2',
    x: axis,
    y: axis,
    values,
    colorLabel,
    points,
    ...(withBoundaries ? { boundaries } : {}),
  });
  const f = run.config.frequency;
  const suffix = `${G}_grid_${Number.isInteger(f) ? f.toFixed(1) : f}_freq`;
  const nonTraining = map.regions.filter((r) => !r.containsTraining);
  const feasible = nonTraining.filter((r) => Number.isFinite(r.lpBound));
  return {
    figures: {
      [`ground_truth_${suffix}`]: heat(
        grid((i) => groundTruth[i] as number),
        'target',
        false,
      ),
      [`output_surface_${suffix}`]: heat(
        grid((i) => map.output[i] as number),
        'f(x)',
        true,
      ),
      [`lipschitz_surface_${suffix}`]: heat(
        grid((i) => map.lipschitz[i] as number),
        'local Lipschitz constant',
        true,
      ),
      [`linear_combinations_gradient_${suffix}`]: heat(
        grid((i) => (regionAt(i)?.containsTraining ? null : (regionAt(i)?.lpBound ?? null))),
        'Theorem-2 bound (∞ = infeasible; blank = training region)',
        true,
      ),
      [`linear_combinations_distinct_${suffix}`]: heat(
        grid((i) => {
          const r = regionAt(i);
          if (!r || r.containsTraining) return null;
          return Number.isFinite(r.lpBound) ? r.combined : Number.POSITIVE_INFINITY;
        }),
        'k = training regions combined (blank = training region)',
        true,
      ),
    },
    summary: {
      numRegions: map.numRegions,
      numTrainingRegionsOnGrid: map.numTrainingRegionsOnGrid,
      numTrainingPatterns: map.numTrainingPatterns,
      feasible: feasible.length,
      infeasible: nonTraining.length - feasible.length,
      combinedValues: [...new Set(feasible.map((r) => r.combined))].sort((a, b) => a - b),
    },
  };
}
