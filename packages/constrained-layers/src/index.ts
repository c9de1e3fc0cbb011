// Float64 projections (numeric core of the constrained layers; pure functions, PyTorch layouts).
export {
  type ConstraintProjectionOptions,
  type ConstraintReport,
  dykstraProjection,
  projectConvKernelConstraints,
  projectDenseConstraints,
  type VectorProjection,
} from './dykstraProjection.js';
export { groupNormDistance, projectGroupNormBall } from './groupNormBallProjection.js';
export { cropKernel, embedKernel, maskKernelSupport } from './kernelSupportMask.js';
export type { ProjectionMode } from './projectionLimits.js';
export {
  projectDenseSpectralBall,
  projectSpectralBall,
  type SpectralBallOptions,
} from './spectralBallProjection.js';
