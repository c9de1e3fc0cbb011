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
