import * as tf from '@tensorflow/tfjs-core';

/** The conv attributes the 'same' → explicit rewrite reads (shared by Conv2D, FusedConv2D and the depthwise ones). */
interface ConvPaddingAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: string;
}

/**
 * Wraps one of tfjs-backend-wasm's forward conv kernels (`Conv2D`, `FusedConv2D`, `DepthwiseConv2dNative`,
 * `FusedDepthwiseConv2D`) so that `pad: 'same'` reaches it as the equivalent explicit padding. Measured on tfjs
 * 4.22: with `'same'` these kernels return wrong values (often all zeros) for 181 of 756 small shapes (e.g. x
 * `[1,5,6,2]`, kernel 4×1, stride 2), while the same convs with explicit padding match the cpu backend in every case:
 * the XNNPACK "TensorFlow SAME" mode disagrees with the padding tfjs computes. Everything else is passed through
 * unchanged to the shipped kernel, whose `setupFunc`/`disposeFunc` are kept.
 */
export function withExplicitSamePadding(original: tf.KernelConfig, depthwise: boolean): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as ConvPaddingAttrs;
      const channelsLast = attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC';
      if (attrs.pad !== 'same' || !channelsLast) return original.kernelFunc(args);
      const x = args.inputs.x!;
      const filter = args.inputs.filter!;
      const { padInfo } = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number],
        attrs.strides,
        attrs.dilations ?? 1,
        'same',
        attrs.dimRoundingMode,
        depthwise,
      );
      const pad: tf.backend_util.ExplicitPadding = [
        [0, 0],
        [padInfo.top, padInfo.bottom],
        [padInfo.left, padInfo.right],
        [0, 0],
      ];
      return original.kernelFunc({ ...args, attrs: { ...args.attrs, pad } as unknown as tf.NamedAttrMap });
    },
  };
}
