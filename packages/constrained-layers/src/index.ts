export { type AdamOptions, createAdamOptimizer } from './adamOptimizer.js';
export { writeFileAtomic } from './atomicFile.js';
export { type BatchGradients, type BatchGradientsFunction, batchGradients } from './batchGradients.js';
export {
  assignCheckpointVariables,
  CHECKPOINT_FILE_NAME,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointHeader,
  type CheckpointTensor,
  type CheckpointTensorEntry,
  type CheckpointTensorRole,
  type EpochProgress,
  type LoadedCheckpoint,
  readCheckpoint,
  saveCheckpoint,
} from './checkpoint.js';
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
export { ConstrainedKernelLayer, type ConstrainedKernelLayerArgs } from './constrainedKernelLayer.js';
export {
  type ConstrainedLayer,
  enforceBothConstraints,
  FLOAT32_SAFETY,
  type ProjectionReport,
  type ProjectOptions,
} from './constrainedLayer.js';
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
export { crc32c, maskedCrc32c } from './crc32c.js';
export {
  type ConstraintProjectionOptions,
  type ConstraintReport,
  dykstraProjection,
  projectConvKernelConstraints,
  projectDenseConstraints,
  type VectorProjection,
} from './dykstraProjection.js';
export { type GeneralizationBoundInput, generalizationBound } from './generalizationBound.js';
export { GENERALIZATION_BOUND_TAG, measureGeneralizationBoundSetup } from './generalizationBoundSetup.js';
export { groupNormDistance, projectGroupNormBall } from './groupNormBallProjection.js';
export { hurwitzZeta } from './hurwitzZeta.js';
export { torchConvKernelOf, torchDenseWeightOf } from './kernelLayout.js';
export { cropKernel, embedKernel, maskKernelSupport } from './kernelSupportMask.js';
export { createLambOptimizer, type LambOptions } from './lambOptimizer.js';
export { createLarsOptimizer, type LarsOptions } from './larsOptimizer.js';
export { type LayersModelLike, type LayersModelNetworkOptions, layersModelNetwork } from './layersModelNetwork.js';
export {
  type LearningRateSchedule,
  learningRateAt,
  SCHEDULE_NAMES,
  validateLearningRateSchedule,
} from './learningRateSchedule.js';
export { negativeMargins, rampLoss } from './margins.js';
export { type MaxPoolPadding, maxPool2dShiftedGradient } from './maxPool2dShiftedGradient.js';
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
export { createSgdOptimizer, type SgdOptions } from './sgdOptimizer.js';
export { type SimpleConvnetOptions, simpleConvnet6, simpleConvnet11 } from './simpleConvnet.js';
export { regularSimplexPrototypes, SimplexClassifier, type SimplexClassifierArgs } from './simplexClassifier.js';
export { projectDenseSpectralBall, projectSpectralBall, type SpectralBallOptions } from './spectralBallProjection.js';
export { SymmetricPaddedMaxPool2d, type SymmetricPaddedMaxPool2dArgs } from './symmetricPaddedMaxPool2d.js';
export {
  type HistogramData,
  type HparamValue,
  histogramOf,
  TensorBoardEventWriter,
  writeHparamsSession,
} from './tensorboardWriter.js';
export { toNetworkDescription } from './toNetworkDescription.js';
export type { BatchIterable, ImageBatch, NetworkVariable, TrainableNetwork, TrainingData } from './trainableNetwork.js';
export { CheckpointError, TrainingConfigError, TrainingDivergedError } from './trainingErrors.js';
export { appendToSeries, emptyTrainingLog, type RunSetup, type StepSeries, type TrainingLog } from './trainingLog.js';
export {
  createTrainingOptimizer,
  type NamedParameter,
  type NamedStateVariable,
  OPTIMIZER_NAMES,
  type OptimizerHyperparameters,
  type OptimizerName,
  type TrainingOptimizer,
} from './trainingOptimizer.js';
export {
  checkCheckpointFits,
  type EpochRecord,
  type FinalMetrics,
  type StepRecord,
  type TrainModelOptions,
  type TrainModelResult,
  trainModel,
} from './trainModel.js';
export { WasmKernelError } from './wasmKernelError.js';
