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
export { SymmetricEigenError, type SymmetricEigenResult, symmetricEigen } from './symmetricEigen.js';
