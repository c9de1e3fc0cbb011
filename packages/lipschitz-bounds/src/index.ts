export {
  type AffineReluChain,
  type AffineReluChainOptions,
  affineReluChain,
  sliceAffineReluChain,
} from './affineReluChain.js';
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
  type CompareOptions,
  type ComparisonKind,
  type ComparisonMethod,
  type ComparisonRow,
  compareLipschitzMethods,
  comparisonMethods,
  defaultComparisonMethods,
} from './compareLipschitzMethods.js';
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
export { type EclipseFastResult, eclipseFast } from './eclipseFast.js';
export { type ExactReluLipschitz, type ExactReluLipschitzOptions, exactReluLipschitz } from './exactReluLipschitz.js';
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
export {
  type DenseRows,
  type LinearProgram,
  LinearProgramError,
  type LinearProgramInfeasible,
  type LinearProgramOptimal,
  type LinearProgramOptions,
  type LinearProgramResult,
  type LinearProgramUnbounded,
  solveLinearProgram,
} from './linearProgram.js';
export {
  isSoundLipSdpForm,
  type LipSdpChunk,
  type LipSdpForm,
  type LipSdpOptions,
  type LipSdpResult,
  lipSdp,
  lipSdpForms,
  lipSdpSlack,
} from './lipSdp.js';
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
export {
  reluChainJacobian,
  type SampledJacobianLowerBound,
  type SampledJacobianOptions,
  sampledJacobianLowerBound,
} from './sampledJacobianLowerBound.js';
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
  type SdpBlockData,
  type SdpIterationLog,
  type SdpOptions,
  type SdpResult,
  type SdpStatus,
  type SemidefiniteProgram,
  SemidefiniteProgramError,
  type SparseVector,
  solveSemidefiniteProgram,
} from './semidefiniteProgram.js';
export { autoLip, type SeqLipJunction, type SeqLipOptions, type SeqLipResult, seqLip } from './seqLip.js';
export {
  type SingularValueDecomposition,
  singularValueDecomposition,
  singularValues,
} from './singularValueDecomposition.js';
export { SymmetricEigenError, type SymmetricEigenResult, symmetricEigen } from './symmetricEigen.js';
export {
  supportedLayerTypes,
  type ValidatedNetwork,
  validateNetworkDescription,
} from './validateNetworkDescription.js';
