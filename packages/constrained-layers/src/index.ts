export { circularConv2d } from './circularConv2d.js';
export { type CircularPadding, circularPad2d, circularPaddingForKernel } from './circularPad2d.js';
export { circularPad2dAdjoint } from './circularPad2dAdjoint.js';
export {
  registerWasmTrainingKernels,
  unregisterWasmTrainingKernels,
  type WasmTrainingKernelsRegistration,
} from './registerWasmTrainingKernels.js';
export { WasmKernelError } from './wasmKernelError.js';
