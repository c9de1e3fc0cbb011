export { type AdamOptions, createAdamOptimizer } from './adamOptimizer.js';
export { crc32c, maskedCrc32c } from './crc32c.js';
export { createLambOptimizer, type LambOptions } from './lambOptimizer.js';
export { createLarsOptimizer, type LarsOptions } from './larsOptimizer.js';
export {
  type LearningRateSchedule,
  learningRateAt,
  SCHEDULE_NAMES,
  validateLearningRateSchedule,
} from './learningRateSchedule.js';
export { createSgdOptimizer, type SgdOptions } from './sgdOptimizer.js';
export {
  type HistogramData,
  type HparamValue,
  histogramOf,
  TensorBoardEventWriter,
  writeHparamsSession,
} from './tensorboardWriter.js';
export { CheckpointError, TrainingConfigError, TrainingDivergedError } from './trainingErrors.js';
export {
  createTrainingOptimizer,
  type NamedParameter,
  type NamedStateVariable,
  OPTIMIZER_NAMES,
  type OptimizerHyperparameters,
  type OptimizerName,
  type TrainingOptimizer,
} from './trainingOptimizer.js';
