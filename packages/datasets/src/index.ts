export { type BatchOptions, type ImageBatch, iterateBatches } from './batchIterator.js';
export { CIFAR_SIDE, type CifarDecodeOptions, type CifarRecords, decodeCifarBinary } from './cifarBinaryFormat.js';
export {
  CIFAR_SPRITE_WIDTH,
  type CifarPngSprites,
  type CifarPngSpritesOptions,
  decodeCifarPngSprites,
} from './cifarPngSprites.js';
export {
  type CosineProductData,
  type CosineProductOptions,
  cosineProductRegression,
  type RegressionSplit,
} from './cosineProductRegression.js';
export { crc32 } from './crc32.js';
export { datasetDir, defaultDataDir, prepareDataDir } from './dataDirectory.js';
export {
  DATASET_NAMES,
  type DatasetDescription,
  type DatasetFormat,
  type DatasetName,
  type DatasetSource,
  describeDataset,
  listDatasets,
  parseDatasetName,
  type RemoteFile,
  sourceDownloadBytes,
} from './datasetCatalog.js';
export { CorruptFileError, DatasetError, DownloadError } from './datasetErrors.js';
export { type DownloadOptions, type DownloadResult, downloadFile } from './downloadFile.js';
export { EMBEDDED_FILES, loadEmbeddedFashionMnist } from './embeddedFashionMnist.js';
export {
  type CachedFileStatus,
  type CachedSourceScan,
  type DatasetStatus,
  datasetStatus,
  embeddedDir,
  type FetchOptions,
  type FetchResult,
  fetchDataset,
  resolveDescription,
  type SourceStatus,
  scanCachedSources,
} from './fetchDataset.js';
export { type Checksum, fileDigest, verifyFile } from './fileChecksum.js';
export { decodeIdx, encodeIdx, type IdxArray } from './idxFormat.js';
export { decodeIdxSplit } from './idxSplit.js';
export {
  type ImageDataset,
  type ImageSplit,
  imageSize,
  limitTo,
  type Normalisation,
  normaliseImages,
  pickImages,
  type SelectClassesOptions,
  type SplitStatistics,
  selectClasses,
  splitStatistics,
  withNormalisation,
} from './imageDataset.js';
export { decodeJpegRgb } from './jpegImage.js';
export { type CorruptedDataset, corruptTrainLabels, type LabelCorruptionOptions } from './labelCorruption.js';
export { type LoadOptions, loadDataset } from './loadDataset.js';
export { type RandomLabelMode, type RandomLabelOptions, randomizeLabels } from './randomLabels.js';
export { CIFAR10_LOCAL_LIPSCHITZ_NORMALISATION, halfNormalisation } from './referenceNormalisations.js';
export { SeededRandom, shuffledIndices } from './seededRandom.js';
export { readTar } from './tarArchive.js';
export { decodeTinyImageNetZip, type TinyImageNetData } from './tinyImageNet.js';
export { readZip, type ZipEntry } from './zipArchive.js';
