import * as tf from '@tensorflow/tfjs-core';
import { kernelInputTensor } from './kernelInputTensor.js';
import { WasmKernelError } from './wasmKernelError.js';

/** Attributes tfjs passes to the `Conv2DBackpropInput` kernel (see tfjs-core `conv2DBackpropInput`). */
interface Conv2dBackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** One spatial axis of the phase decomposition: which kernel taps and output rows phase `rho` owns. */
interface AxisPhase {
  /** Taps `rho, rho + s, …` of the kernel along this axis (count `ceil((k − rho)/s)`, may be 0). */
  taps: number;
  /** Explicit conv padding before / after (negative = crop dy instead). */
  before: number;
  after: number;
}

function axisPhase(k: number, s: number, rho: number, u0: number, u: number, outSize: number): AxisPhase {
  const taps = Math.max(0, Math.ceil((k - rho) / s));
  return { taps, before: taps - 1 - u0, after: u0 + u - outSize };
}

/** Crops `dy` where a phase's padding is negative, so that the remaining padding is a plain explicit conv pad. */
function cropForPhase(dy: tf.Tensor4D, rows: AxisPhase, cols: AxisPhase): tf.Tensor4D {
  const top = Math.max(0, -rows.before);
  const bottom = Math.max(0, -rows.after);
  const left = Math.max(0, -cols.before);
  const right = Math.max(0, -cols.after);
  if (top + bottom + left + right === 0) return dy;
  const [n, h, w, c] = dy.shape;
  return tf.slice(dy, [0, top, left, 0], [n, h - top - bottom, w - left - right, c]);
}

/**
 * Input gradient of a 2-D convolution (NHWC, dilation 1) as `s_h·s_w` stride-1 forward convolutions (the
 * phase / sub-pixel decomposition of a transposed convolution), so it runs on the backend's fast forward Conv2D
 * (XNNPACK on wasm) with exactly the FLOPs of the forward conv and no zero-dilated `dy`:
 * in the padded-input frame, row `r = s·u + ρ` receives only the taps `a = ρ + s·t`, so
 * `dxpad[s·u+ρ] = Σ_t K[ρ+s·t] · dy[u−t]`, a correlation of `dy` with the flipped sub-kernel `K[ρ::s]` whose
 * in/out channels are swapped. The phases are interleaved by stack + reshape and cropped to the input frame.
 *
 * @param dy output gradient `[N, Ho, Wo, Cout]`; @param filter `[kh, kw, Cin, Cout]`.
 * @returns `[N, H, W, Cin]` = `inputShape`.
 */
export function conv2dInputGradient(
  inputShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: Conv2dBackpropInputAttrs['pad'],
  dimRoundingMode?: Conv2dBackpropInputAttrs['dimRoundingMode'],
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode);
  const { strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo, padInfo } = info;
  const [n, h, w, cin] = inputShape;
  const [kh, kw] = filter.shape;
  // Padded-frame rows [top, top + h) are needed; phase grids cover rows [u0·s, (u0 + U)·s).
  const u0 = Math.floor(padInfo.top / sh);
  const v0 = Math.floor(padInfo.left / sw);
  const uCount = Math.ceil((padInfo.top + h) / sh) - u0;
  const vCount = Math.ceil((padInfo.left + w) / sw) - v0;
  return tf.tidy((): tf.Tensor4D => {
    const rowsOfPhases: tf.Tensor4D[] = [];
    for (let rho = 0; rho < sh; rho++) {
      const rows = axisPhase(kh, sh, rho, u0, uCount, ho);
      const phases: tf.Tensor4D[] = [];
      for (let sigma = 0; sigma < sw; sigma++) {
        const cols = axisPhase(kw, sw, sigma, v0, vCount, wo);
        if (rows.taps === 0 || cols.taps === 0) {
          phases.push(tf.zeros([n, uCount, vCount, cin]));
          continue;
        }
        const sub = tf.stridedSlice(filter, [rho, sigma, 0, 0], filter.shape, [sh, sw, 1, 1]) as tf.Tensor4D;
        const flipped = tf.transpose(tf.reverse(sub, [0, 1]), [0, 1, 3, 2]);
        phases.push(
          tf.conv2d(cropForPhase(dy, rows, cols), flipped, 1, [
            [0, 0],
            [Math.max(0, rows.before), Math.max(0, rows.after)],
            [Math.max(0, cols.before), Math.max(0, cols.after)],
            [0, 0],
          ]),
        );
      }
      rowsOfPhases.push(
        sw === 1 ? phases[0]! : tf.reshape<tf.Rank.R4>(tf.stack(phases, 3), [n, uCount, vCount * sw, cin]),
      );
    }
    const full =
      sh === 1
        ? rowsOfPhases[0]!
        : tf.reshape<tf.Rank.R4>(tf.stack(rowsOfPhases, 2), [n, uCount * sh, vCount * sw, cin]);
    const top = padInfo.top - u0 * sh;
    const left = padInfo.left - v0 * sw;
    if (top === 0 && left === 0 && full.shape[1] === h && full.shape[2] === w) return full;
    return tf.slice(full, [0, top, left, 0], [n, h, w, cin]);
  });
}

/**
 * `Conv2DBackpropInput` for the wasm backend, replacing the shipped one (a direct loop, ~2.5 GFLOP/s) by
 * {@link conv2dInputGradient} on the XNNPACK forward conv. NHWC only.
 */
export const wasmConv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const a = attrs as unknown as Conv2dBackpropInputAttrs;
    if (a.dataFormat !== 'NHWC') {
      throw new WasmKernelError('dataFormat', `must be 'NHWC' for the wasm Conv2DBackpropInput, got '${a.dataFormat}'`);
    }
    return tf.tidy(() => {
      const dy = kernelInputTensor<tf.Tensor4D>(inputs.dy!, backend);
      const filter = kernelInputTensor<tf.Tensor4D>(inputs.filter!, backend);
      return conv2dInputGradient(a.inputShape, dy, filter, a.strides, a.pad, a.dimRoundingMode);
    });
  },
};
