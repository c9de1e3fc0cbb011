export { circularConv2d } from './circularConv2d.js';
export { type CircularPadding, circularPad2d, circularPaddingForKernel } from './circularPad2d.js';
export { circularPad2dAdjoint } from './circularPad2dAdjoint.js';
export {
  registerWasmTrainingKernels,
  unregisterWasmTrainingKernels,
  type WasmTrainingKernelsRegistration,
} from './registerWasmTrainingKernels.js';
export { WasmKernelError } from './wasmKernelError.js';

// Float64 projections (numeric core of the constrained layers; pure functions, PyTorch layouts).
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

  projectDenseSpectralBall,
  projectSpectralBall,
  type SpectralBallOptions,
} from './spectralBallProjection.js';
