/**
 * Keeps the driver light: @colyseus/schema 5 decodes strings with `String.fromCharCode` + `+=` per
 * byte (notes/colyseus-0.18.md §6; ~95 ms per MB), and every simulated client decodes the same large
 * JSON strings of the state, so the driver's event loop stalled for seconds and inflated the measured
 * latencies. In THIS process only, `decode.string` (which the decoder calls through the `decode`
 * object) is replaced by an equivalent using TextDecoder. The server is untouched; a browser still
 * pays the slow decode.
 */
import { decode } from '@colyseus/schema';

const utf8 = new TextDecoder();

export function installFastStringDecode(): void {
  const original = decode.string;
  const fast = (bytes: Uint8Array, it: { offset: number }): string => {
    const prefix = bytes[it.offset]!;
    let length: number;
    let header: number;
    if (prefix < 0xc0) {
      length = prefix & 0x1f;
      header = 1;
    } else if (prefix === 0xd9) {
      length = bytes[it.offset + 1]!;
      header = 2;
    } else if (prefix === 0xda) {
      length = bytes[it.offset + 1]! | (bytes[it.offset + 2]! << 8);
      header = 3;
    } else if (prefix === 0xdb) {
      length = (bytes[it.offset + 1]! | (bytes[it.offset + 2]! << 8) | (bytes[it.offset + 3]! << 16) | (bytes[it.offset + 4]! << 24)) >>> 0;
      header = 5;
    } else {
      return original(bytes as never, it as never);
    }
    if (length < 64) return original(bytes as never, it as never);
    const start = it.offset + header;
    it.offset = start + length;
    return utf8.decode(bytes.subarray(start, start + length));
  };
  (decode as { string: unknown }).string = fast;
}
