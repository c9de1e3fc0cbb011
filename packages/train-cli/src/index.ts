export { atomicWriteFile } from './atomicWriteFile.js';
export {
  BACKEND_CHOICES,
  type BackendChoice,
  type BackendSelection,
  type BackendSelectionDeps,
  BackendUnavailableError,
  type ConcreteBackend,
  parseBackendChoice,
  selectBackend,
} from './backendSelection.js';
export { type CapacityCommandDeps, capacityTable, registerCapacityCommand } from './capacityCommand.js';
export { CliUsageError } from './cliErrors.js';
export { renderCliReference } from './cliReference.js';
export { DataParallelWorkerError } from './dataParallelTraining.js';
export {
  type DecodedImage,
  decodeImage,
  type ImageFormat,
  ImageInputError,
  imageFormatOf,
} from './imageInput.js';
export {
  type ImageNormalisation,
  imageToNetworkInput,
  loadNetworkInput,
  type NetworkInput,
} from './networkInput.js';
export { createProgram } from './program.js';
export { type OutputMode, type ProgressIo, type ProgressTask, startProgress } from './progressReporter.js';
export {
  type BoundKind,
  boundsAtImages,
  type EpsilonRow,
  type ImageBounds,
  type ImageBoundsOptions,
  type LabelledValue,
} from './quickstartBounds.js';
export {
  parseQuickstartOptions,
  QUICKSTART_DEFAULTS,
  type QuickstartOptions,
  registerQuickstartCommand,
  runQuickstart,
} from './quickstartCommand.js';
export {
  buildQuickstartModel,
  paddedDataset,
  QUICKSTART_DIST_COND,
  QUICKSTART_LIP_COND,
  QUICKSTART_PAD,
  type QuickstartModel,
  zeroPadSplit,
} from './quickstartNetwork.js';
export {
  type LayerReport,
  type QuickstartReport,
  quickstartMarkdown,
  quickstartSummary,
  writeQuickstartReport,
} from './quickstartReport.js';
export { resizeBilinear } from './resizeBilinear.js';
export { runCli } from './runCli.js';
export {
  type BarChartSpec,
  barChart,
  type HeatmapChartSpec,
  heatmapChart,
  type LineBand,
  type LineChartSpec,
  type LineSeries,
  lineChart,
  PLOT_COLORS,
  type ReferenceLine,
  type ViolinChartSpec,
  violinChart,
} from './svgPlot.js';
export { registerTrainCommand, type TrainCommandDeps } from './trainCommand.js';
export {
  ARCHITECTURE_NAMES,
  backendForDevice,
  parseTrainFlags,
  type TrainFlags,
  type TrainRunConfig,
} from './trainRunConfig.js';
export { svgToPng, writePlot } from './writePlot.js';
