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
