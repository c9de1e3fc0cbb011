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
export { type ComplexFourierTransform, complexFourierTransform, fourierTransform2d } from './fourierTransform.js';
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
export { NumericCoreError } from './numericCoreError.js';
export {
  conv2dPowerIteration,
  type PowerIterationOptions,
  type PowerIterationResult,
  powerIterationSpectralNorm,
} from './powerIteration.js';
export { createSeededRandom, gaussianArray, type SeededRandom } from './seededRandom.js';
export {
  type SingularValueDecomposition,
  singularValueDecomposition,
  singularValues,
} from './singularValueDecomposition.js';
