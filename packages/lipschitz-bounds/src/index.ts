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
  type DenseMatrix,
  denseMatrix,
  denseMatrixTranspose,
  denseMatrixVectorProduct,
} from './denseMatrix.js';
export { denseMatrixOfConv2d } from './denseMatrixOfConv2d.js';
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
export { createSeededRandom, gaussianArray, type SeededRandom } from './seededRandom.js';
export {
  type SingularValueDecomposition,
  singularValueDecomposition,
  singularValues,
} from './singularValueDecomposition.js';
