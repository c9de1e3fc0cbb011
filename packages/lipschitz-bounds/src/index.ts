export {
  type AscentLowerBoundOptions,
  ascentLowerBound,
  type RepoAscentOptions,
  repoAscentLowerBoundCurve,
} from './ascentLowerBound.js';
export { type CarliniWagnerOptions, carliniWagnerAttack } from './carliniWagnerAttack.js';
export {
  type CertifiedRadius,
  type CertifiedRadiusOptions,
  certifiedRadius,
  globalCertifiedRadius,
  logitGap,
} from './certifiedRadius.js';
export {
  type Conv2dGeometry,
  type Conv2dOptions,
  type Conv2dPaddingMode,
  type ConvKernel,
  circularSamePadding,
  conv2dAdjoint,
  conv2dForward,
  conv2dGeometry,
  conv2dInputSize,
  conv2dLinearOperator,
  conv2dOutputSize,
  convKernel,
  type LinearOperator,
} from './conv2dOperator.js';
export {
  assertKernelFitsGrid,
  type CircularSpectralNorm,
  type CircularSpectralNormOptions,
  conjugateFrequency,
  embedKernelInPlane,
  type FrequencyGram,
  frequencyGramMatrices,
  frequencyMatricesToPlane,
  kernelFrequencyMatrices,
  planeFrequencyMatrices,
  spectralNormExactCircular,
} from './convSpectrum.js';
export {
  type DenseMatrix,
  denseMatrix,
  denseMatrixOperator,
  denseMatrixTranspose,
  denseMatrixVectorProduct,
} from './denseMatrix.js';
export { denseMatrixOfConv2d } from './denseMatrixOfConv2d.js';
export {
  type AttackResult,
  argmaxOf,
  type FgsmSearchOptions,
  fgsmAttack,
  fgsmMinimalPerturbation,
  type IterativeFgsmOptions,
  iterativeFgsmAttack,
} from './fastGradientSignAttack.js';
export { type ComplexFourierTransform, complexFourierTransform, fourierTransform2d } from './fourierTransform.js';
export { type GlobalBound, type GlobalBoundOptions, globalLipschitzBound } from './globalLipschitzBound.js';
export {
  conv2dSpectralNormUpperBound,
  type SpectralNormUpperBound,
  spectralNormGramIteration,
  upperBoundRoundingMargin,
} from './gramIterationBound.js';
export {
  type HermitianEigenDecomposition,
  hermitianEigenDecomposition,
  hermitianEigenInPlace,
} from './hermitianEigen.js';
export type { LayerOperator, NormBound, NormMethod, SparseRow } from './layerOperator.js';
export { LipschitzBoundsError, ModelImportError, NetworkDescriptionError } from './lipschitzBoundsError.js';
export {
  type InputTensor,
  loadInputTensor,
  loadNetworkDescription,
  parseInputTensor,
} from './loadNetworkDescription.js';
export {
  type LayerFactor,
  type LocalBound,
  type LocalBoundOptions,
  localLipschitzBound,
} from './localLipschitzBound.js';
export { type BoundMode, type MaskedNorm, type MaskedNormOptions, maskedOperatorNorm } from './maskedOperatorNorm.js';
export type {
  AddLayer,
  BatchnormLayer,
  Conv2dLayer,
  DenseLayer,
  DropoutLayer,
  FlattenLayer,
  LayerDescription,
  NetworkDescription,
  Pool2dLayer,
  ReluLayer,
  TensorData,
} from './networkDescription.js';
export { type NetworkActivations, networkForward, networkOutput } from './networkForward.js';
export { networkFromOnnx } from './networkFromOnnx.js';
export {
  networkFromTfjsModel,
  type TfjsLayerLike,
  type TfjsModelLike,
  type TfjsWeightLike,
} from './networkFromTfjsModel.js';
export { networkVectorJacobianProduct } from './networkVectorJacobianProduct.js';
export { NumericCoreError } from './numericCoreError.js';
export {
  decodeOnnxModel,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnxProtobuf.js';
export {
  conv2dPowerIteration,
  type PowerIterationOptions,
  type PowerIterationResult,
  powerIterationSpectralNorm,
} from './powerIteration.js';
export { type PreparedLayer, type PreparedNetwork, prepareNetwork } from './preparedNetwork.js';
export {
  distance,
  euclideanNorm,
  type LowerBound,
  type RandomLowerBoundOptions,
  randomLowerBound,
  sampleBall,
} from './randomLowerBound.js';
export { createSeededRandom, gaussianArray, type SeededRandom } from './seededRandom.js';
export {
  buildSeedNetwork,
  type LayoutLayer,
  type SeedNetworkLayout,
  type SeedNetworkName,
  type SeedNetworkOptions,
  seedNetworkLayout,
  seedNetworkNames,
  seedNetworkParameterCount,
} from './seedNetworks.js';
export {
  type SingularValueDecomposition,
  singularValueDecomposition,
  singularValues,
} from './singularValueDecomposition.js';
export {
  supportedLayerTypes,
  type ValidatedNetwork,
  validateNetworkDescription,
} from './validateNetworkDescription.js';
