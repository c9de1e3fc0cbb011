/** JPEG decoding with the pure-JavaScript `jpeg-js` decoder (no native code, works wherever Node runs). */
import jpeg from 'jpeg-js';
import { CorruptFileError } from './datasetErrors.js';

/**
 * Decodes a JPEG into packed RGB bytes (HWC). Grayscale JPEGs come out with the gray value in all three channels,
 * as the original Tiny-ImageNet reader does by repeating the channel.
 * @param source name used in errors
 * @throws CorruptFileError if the data is not a decodable JPEG
 */
export function decodeJpegRgb(bytes: Uint8Array, source: string): { width: number; height: number; rgb: Uint8Array } {
  try {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 64 });
    return { width: img.width, height: img.height, rgb: img.data };
  } catch (e) {
    throw new CorruptFileError(source, `not a decodable JPEG (${String(e)})`, 'Delete the archive and fetch it again');
  }
}
