/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and the "masked" variant that TFRecord files store.
 * Table-driven, one byte at a time: event files are small, so simplicity beats slicing-by-8.
 */

const CASTAGNOLI_REFLECTED = 0x82f63b78;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI_REFLECTED : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C of `bytes` as an unsigned 32-bit integer (check value: crc32c("123456789") = 0xE3069283). */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The masked CRC that TFRecord framing stores: `((crc >>> 15) | (crc << 17)) + 0xA282EAD8` (mod 2^32), so that a
 * CRC over data that itself contains CRCs does not degenerate (TensorFlow `crc32c::Mask`).
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
