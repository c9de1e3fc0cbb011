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
export { createProgram } from './program.js';
export { type OutputMode, type ProgressTask, startProgress } from './progressReporter.js';
export { runCli } from './runCli.js';
export {
  type BarChartSpec,
  barChart,
  type HeatmapChartSpec,
  heatmapChart,
  type LineChartSpec,
  type LineSeries,
  lineChart,
  PLOT_COLORS,
  type ReferenceLine,
  type ViolinChartSpec,
  violinChart,
} from './svgPlot.js';
export { registerTrainCommand, type TrainCommandDeps } from './trainCommand.js';
export { ARCHITECTURE_NAMES, parseTrainFlags, type TrainFlags, type TrainRunConfig } from './trainRunConfig.js';
export { svgToPng, writePlot } from './writePlot.js';
