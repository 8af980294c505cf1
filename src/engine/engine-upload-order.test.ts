/** The order in which a rate-capped uploader serves neighbors that wait for it (finishPartChunksFirst). */
import { describe, expect, it } from 'vitest';
import { attachScripted, handshakeFor, scriptedEngine } from './testing/scripted-peer';

const KiB = 1024;

describe('finishPartChunksFirst', () => {
  for (const finish of [true, false]) {
    it(`${finish ? 'finishes one chunk before starting another' : 'serves the neighbor holding fewer chunks first'} under an upload cap`, async () => {
      // 64 KiB chunks of 4 blocks; 16 KiB/s: one block per second.
      const { engine, share, clock } = await scriptedEngine({
        size: 192 * KiB,
        chunkSize: 64 * KiB,
        config: { upBytesPerSec: 16 * KiB, superSeeding: false, finishPartChunksFirst: finish, starterSlots: 0, fillIdleSlots: false },
      });
      const peers = ['a', 'b'].map((id) => attachScripted(engine, id));
      for (const [i, p] of peers.entries()) {
        p.send(handshakeFor(share.infoHash, ['a', 'b'][i]!));
        if (i === 0) p.send({ type: 'bitfield', bits: Uint8Array.from([0b0010_0000]) }); // a holds chunk 2, b nothing
        p.send({ type: 'interested' });
        await p.deliver();
      }
      // a asks for every block of chunk 0, b for every block of chunk 1.
      for (const [i, p] of peers.entries()) for (let b = 0; b < 4; b++) p.send({ type: 'request', index: i, offset: b * 16 * KiB, length: 16 * KiB });
      for (const p of peers) await p.deliver();
      const order: string[] = [];
      const seen = [0, 0];
      for (let t = 0; t < 12 && order.length < 8; t++) {
        for (const [i, p] of peers.entries()) {
          await p.deliver();
          const pieces = p.received.filter((m) => m.type === 'piece').length;
          for (; seen[i]! < pieces; seen[i]!++) order.push(['a', 'b'][i]!);
        }
        clock.advance(1000);
      }
      expect(order).toHaveLength(8);
      // a's first block leaves at once; then a's chunk is finished first, or b (holding fewer chunks) cuts in.
      expect(order.join('')).toBe(finish ? 'aaaabbbb' : 'abbbbaaa');
    });
  }
});
