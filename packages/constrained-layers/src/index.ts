export { type AdamOptions, createAdamOptimizer } from './adamOptimizer.js';
export { writeFileAtomic } from './atomicFile.js';
export {
  assignCheckpointVariables,
  CHECKPOINT_FILE_NAME,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointHeader,
  type CheckpointTensor,
  type CheckpointTensorEntry,
  type CheckpointTensorRole,
  type LoadedCheckpoint,
  readCheckpoint,
  saveCheckpoint,
} from './checkpoint.js';
export { crc32c, maskedCrc32c } from './crc32c.js';
export { createLambOptimizer, type LambOptions } from './lambOptimizer.js';
export { createLarsOptimizer, type LarsOptions } from './larsOptimizer.js';
export {
  type LearningRateSchedule,
  learningRateAt,
  SCHEDULE_NAMES,
  validateLearningRateSchedule,
} from './learningRateSchedule.js';
export { createSeededRandom, restoreSeededRandom, type SeededRandom } from './seededRandom.js';
export { createSgdOptimizer, type SgdOptions } from './sgdOptimizer.js';
export {
  type HistogramData,
  type HparamValue,
  histogramOf,
  TensorBoardEventWriter,
  writeHparamsSession,
} from './tensorboardWriter.js';
export type {
  ImageBatch,
  NetworkVariable,
  TrainableNetwork,
  TrainingData,
} from './trainableNetwork.js';
export { CheckpointError, TrainingConfigError, TrainingDivergedError } from './trainingErrors.js';
export { appendToSeries, emptyTrainingLog, type StepSeries, type TrainingLog } from './trainingLog.js';
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
  type TrainModelOptions,
  type TrainModelResult,
  trainModel,
} from './trainModel.js';
