export { crc32c, maskedCrc32c } from './crc32c.js';
export {
  type HistogramData,
  type HparamValue,
  histogramOf,
  TensorBoardEventWriter,
  writeHparamsSession,
} from './tensorboardWriter.js';
