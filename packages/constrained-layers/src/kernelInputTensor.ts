import * as tf from '@tensorflow/tfjs-core';

/** The part of a tfjs backend that {@link kernelInputTensor} needs (every KernelBackend has it). */
interface RefCountingBackend {
  incRef(dataId: object): void;
}

/**
 * A kernel input as a Tensor that tf ops can consume inside the kernel. Inputs passed by tf ops already are
 * Tensors; a bare TensorInfo (a backend calling the kernel directly) is wrapped, and the backend reference count is
 * raised so that disposing the wrapper (e.g. by the kernel's `tf.tidy`) does not free the caller's data.
 */
export function kernelInputTensor<T extends tf.Tensor>(info: tf.TensorInfo, backend: object): T {
  if ((info as tf.Tensor).rank != null) return info as T;
  (backend as RefCountingBackend).incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info) as T;
}
