export { circularConv2d } from './circularConv2d.js';
export { type CircularPadding, circularPad2d, circularPaddingForKernel } from './circularPad2d.js';
export { circularPad2dAdjoint } from './circularPad2dAdjoint.js';
export {
  ConstrainedConv2d,
  type ConstrainedConv2dArgs,
  type ConvKernelShape,
  kernelSurgery,
} from './constrainedConv2d.js';
export { ConstrainedDense, type ConstrainedDenseArgs } from './constrainedDense.js';
export type { ConstrainedLayer, ProjectionReport, ProjectOptions } from './constrainedLayer.js';
export { ConstrainedLayersError } from './constrainedLayersError.js';
export {
  CLASSIFIER_NAME,
  type ConstrainedArchitecture,
  ConstrainedNetwork,
  type ConstrainedNetworkParts,
  type LipschitzBookkeeping,
  type LipschitzTerm,
  type MeasuredLayer,
} from './constrainedNetwork.js';
export { type ConstraintVector, checkConstraintVector } from './constraintVector.js';
// Float64 projections (numeric core of the constrained layers; pure functions, PyTorch layouts).
export {
  type ConstraintProjectionOptions,
  type ConstraintReport,
  dykstraProjection,
  projectConvKernelConstraints,
  projectDenseConstraints,
  type VectorProjection,
} from './dykstraProjection.js';
export { type GeneralizationBoundInput, generalizationBound } from './generalizationBound.js';
export { groupNormDistance, projectGroupNormBall } from './groupNormBallProjection.js';
export { hurwitzZeta } from './hurwitzZeta.js';
export { torchConvKernelOf, torchDenseWeightOf } from './kernelLayout.js';
export { cropKernel, embedKernel, maskKernelSupport } from './kernelSupportMask.js';
export { negativeMargins, rampLoss } from './margins.js';
export {
  type CapacityBatch,
  type MeasureCapacityOptions,
  measureCapacityQuantities,
} from './measureCapacityQuantities.js';
export { type NoStridePreActResNet18Options, noStridePreActResNet18 } from './noStridePreActResNet18.js';
export { PoolingShortcut } from './poolingShortcut.js';
export type { ProjectionMode } from './projectionLimits.js';
export { pytorchUniformValues } from './pytorchUniformInit.js';
export {
  boundBartlett,
  boundGolowich1inf,
  boundGolowichFro,
  boundGouk1inf,
  boundGoukFro,
  boundLedentFixedConstraints,
  boundLedentMain,
  boundLin,
  boundNeyshabur1inf,
  boundNeyshaburFro,
  boundOursNorms,
  boundOursParams,
  type CapacityLayerQuantities,
  type CapacityQuantities,
  capacityPsi,
  RADEMACHER_BOUND_NAMES,
  type RademacherBoundName,
  rademacherBounds,
} from './rademacherBounds.js';
export {
  registerWasmTrainingKernels,
  unregisterWasmTrainingKernels,
  type WasmTrainingKernelsRegistration,
} from './registerWasmTrainingKernels.js';
export { type SimpleConvnetOptions, simpleConvnet6, simpleConvnet11 } from './simpleConvnet.js';
export { regularSimplexPrototypes, SimplexClassifier, type SimplexClassifierArgs } from './simplexClassifier.js';
export {
  projectDenseSpectralBall,
  projectSpectralBall,
  type SpectralBallOptions,
} from './spectralBallProjection.js';
export { SymmetricPaddedMaxPool2d, type SymmetricPaddedMaxPool2dArgs } from './symmetricPaddedMaxPool2d.js';
export { toNetworkDescription } from './toNetworkDescription.js';
export { WasmKernelError } from './wasmKernelError.js';
