/**
 * Bytes a decoded wire message would occupy on a data channel, from the layouts in
 * src/protocol/wire.ts, without encoding it: the simulator charges links for real sizes while
 * passing message objects (and 256 KiB piece payloads) by reference.
 */
import type { WireMessage } from './wire-messages';

const INFO_HASH_BYTES = 32;

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function wireSize(m: WireMessage): number {
  // The most frequent types first (a switch on strings compares case by case).
  switch (m.type) {
    case 'have':
      return 5;
    case 'request':
    case 'cancel':
      return 13;
    case 'piece':
    case 'metadata-data':
      return 9 + m.data.length;
    case 'handshake':
      return 1 + 3 + INFO_HASH_BYTES + utf8Length(m.peerId);
    case 'keep-alive':
    case 'choke':
    case 'unchoke':
    case 'interested':
    case 'not-interested':
      return 1;
    case 'metadata-request':
    case 'metadata-reject':
      return 5;
    case 'bitfield':
      return 1 + m.bits.length;
  }
}
