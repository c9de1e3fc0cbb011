import type * as tfl from '@tensorflow/tfjs-layers';

/** The base options every tfjs-layers layer takes (`name`, `trainable`, `inputShape`, …). */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
/** A tfjs-layers shape (`null` = unknown batch size). */
export type LayerShape = (number | null)[];

/** The single input shape of a one-input layer (tfjs-layers passes a list for multi-input layers). */
export function singleShape(inputShape: LayerShape | LayerShape[]): LayerShape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as LayerShape;
}
