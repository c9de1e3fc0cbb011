/**
 * Typed errors of @lipkit/lipschitz-bounds. Every error names the argument at fault, so the CLI can map it to exit
 * code 2 and a one-line message.
 */

/** A bad argument or option passed to a lipschitz-bounds function (e.g. a negative ε). */
export class LipschitzBoundsError extends Error {
  override name = 'LipschitzBoundsError';
  /**
   * @param argument the argument or option at fault (e.g. `eps`, `options.mode`)
   * @param message what is wrong and what is allowed
   */
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/**
 * A network description that is malformed or uses something the bounds do not support. `argument` is the JSON path
 * of the offending field (e.g. `layers[3].weight.shape`); `layerIndex` is the layer (−1 for top-level fields).
 */
export class NetworkDescriptionError extends LipschitzBoundsError {
  override name = 'NetworkDescriptionError';
  /**
   * @param layerIndex index into `layers`, or −1 for a top-level field
   * @param field field path inside the layer (e.g. `weight.shape`), or the top-level field name
   * @param message what is wrong and what is allowed
   */
  constructor(
    readonly layerIndex: number,
    readonly field: string,
    message: string,
  ) {
    super(layerIndex < 0 ? field : `layers[${layerIndex}]${field ? `.${field}` : ''}`, message);
  }
}

/**
 * A model (ONNX graph or tfjs LayersModel) that cannot be converted to a network description: an unsupported layer
 * or operator, or an unsupported setting. `layerName` names the layer or node; `argument` reads
 * `<layer name>.<field>`.
 */
export class ModelImportError extends LipschitzBoundsError {
  override name = 'ModelImportError';
  /**
   * @param layerName the layer or node name (with its type), e.g. `node 3 "conv1" (Conv)`
   * @param field the attribute or setting at fault (`op_type`, `group`, `padding`, …)
   * @param message what is wrong and what is allowed
   */
  constructor(
    readonly layerName: string,
    readonly field: string,
    message: string,
  ) {
    super(`${layerName}.${field}`, message);
  }
}
