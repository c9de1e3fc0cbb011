export {
  type ActivationRegion,
  type ActivationRegionMap,
  type ActivationRegionOptions,
  activationRegions,
} from './activationRegions.js';
export {
  type BatchSizeFigureOptions,
  type BatchSizeFigures,
  type BatchSizeSummary,
  type BatchSizeSweep,
  batchSizeFigures,
} from './batchSizeFigures.js';
export {
  BiasInputReluMlp,
  type BiasInputReluMlpParams,
  type BiasInputReluMlpShape,
  biasInputReluMlpParamCount,
  PAPER_MLP_SHAPE,
  PAPER_MLP2_SHAPE,
} from './biasInputReluMlp.js';
export { biasVariancePerEpoch } from './biasVariance.js';
export {
  type RunKind,
  runCachedSweep,
  type SweepCondition,
  type SweepHooks,
  type SweepResult,
} from './cachedSweep.js';
export {
  type ClassifierConditionSummary,
  type ClassifierFigureOptions,
  type ClassifierSweepFigures,
  classifierSweepFigures,
} from './classifierSweepFigures.js';
export {
  CLASSIFIER_MODELS,
  type ClassifierModelName,
  type ClassifierRunConfig,
  type ClassifierRunResult,
  runClassifierTrajectory,
  validateClassifierRunConfig,
} from './classifierTrajectoryRun.js';
export { deriveSeed } from './deriveSeed.js';
export { distanceToReference, lastEpochs } from './distanceToReference.js';
export { type EpochTrajectory, epochTrajectory } from './epochTrajectory.js';
export { exponentialMovingAverage } from './exponentialMovingAverage.js';
export {
  epochAxis,
  evenlySubsample,
  type HeatmapFigure,
  type LineFigure,
  type LineSeries,
  meanAndStd,
  median,
  type SteadyFigure,
  type ViolinFigure,
  type ViolinGroup,
} from './figureData.js';
export {
  assembleModel,
  createFrozenIdentityBias,
  type FrozenIdentityModel,
  type ModelBody,
  type ModelOutputKind,
  sequentialBody,
  withFrozenIdentityInput,
} from './frozenIdentityModel.js';
export { inputGradientNorm } from './inputGradientNorm.js';
export { decadeDecayFactor, decadeDecayLearningRate } from './learningRateSchedule.js';
export {
  type MlpConditionSummary,
  type MlpFigureOptions,
  type MlpSweepFigures,
  mlpSweepFigures,
} from './mlpSweepFigures.js';
export {
  type EpochMetrics,
  MLP_RUN_DEFAULTS,
  type MlpCheckpoint,
  type MlpModelName,
  type MlpRunConfig,
  type MlpRunResult,
  mlpShapeOf,
  runMlpTrajectory,
  validateMlpRunConfig,
} from './mlpTrajectoryRun.js';
export { type NormalisedSteps, normalisedSteps, type RecordedSteps } from './normalisedSteps.js';
export {
  type FunctionalLayer,
  flattenLayer,
  maxPoolLayer,
  pytorchConv2d,
  pytorchDense,
  reluLayer,
  reshapeLayer,
} from './pytorchInitLayers.js';
export { type RegionSummary, regionFigures } from './regionFigures.js';
export {
  isRunComplete,
  loadClassifierRun,
  loadMlpRun,
  RUN_FORMAT_VERSION,
  saveClassifierRun,
  saveMlpRun,
  writeFileAtomic,
} from './runStore.js';
export {
  airplaneVsDog,
  type CorruptionSweepOptions,
  type MlpSweepOptions,
  type MnistComparisonOptions,
  mnistThreeVsSix,
  PAPER_CORRUPTIONS,
  PAPER_FREQUENCIES,
  type RegionsExperimentOptions,
  type RegionsExperimentResult,
  runCorruptionSweep,
  runMlpFrequencySweep,
  runMnistComparison,
  runRegionsExperiment,
  type SweepOptions,
} from './steadyExperiments.js';
export { SteadyLearnerError } from './steadyLearnerError.js';
export { createCifarCnn, createMnistCnn, createMnistMlp, createTfMlp, tfMlpFromParams } from './steadyModels.js';
export { type SgdStepResult, type SteadyLoss, sgdStep, steadyLoss } from './tfSgdStep.js';
export { type Theorem2Bound, theorem2Bound } from './theorem2Bound.js';
export { DEGENERATE_NORMALISER, type TrajectoryFormulas } from './trajectoryFormulas.js';
export {
  type EpochTrajectoryStats,
  TrajectoryRecorder,
  type TrajectoryRecorderOptions,
} from './trajectoryRecorder.js';
