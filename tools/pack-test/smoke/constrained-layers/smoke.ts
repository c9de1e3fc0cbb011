import { ConstrainedDense, type ConstrainedLayer, type ProjectionReport } from '@lipkit/constrained-layers';

const layer: ConstrainedLayer = new ConstrainedDense({ units: 4, lipCond: 1, distCond: null });
export const report: ProjectionReport = layer.project(10);
export const lip: number = layer.lip();
