/**
 * Neighbors that each send one block of a chunk and leave must not pin a chunk buffer apiece:
 * partially received chunks share one byte budget (config.maxPartialBytes), and a partial chunk
 * that no connected neighbor holds is freed when its last holder leaves. Real engine, scripted
 * remote peers over the in-memory transport.
 */
import { describe, expect, it } from 'vitest';
import { Bitfield } from './bitfield';
import type { ChunkLedger } from './ledger';
import type { SwarmEngine } from './engine';
import {
  attachScripted,
  attachUnchokingSource,
  fullBitfield,
  handshakeFor,
  metadataOf,
  pieceOf,
  scriptedEngine,
  type ScriptedPeer,
  type ScriptedSetup,
} from './testing/scripted-peer';

const KiB = 1024;
const CHUNK = 64 * KiB; // four 16 KiB blocks
const BUDGET = 4 * CHUNK;

const ledgerOf = (engine: SwarmEngine) => (engine as unknown as { core: { ledger: ChunkLedger } }).core.ledger;

/** A neighbor that offers only `index`, unchokes us, answers the first request it gets with one block, then leaves. */
async function oneBlockAndLeave(setup: ScriptedSetup, peerId: string, index: number): Promise<void> {
  const { engine, share, content } = setup;
  const p = attachScripted(engine, peerId);
  p.send(handshakeFor(share.infoHash, peerId, 3));
  const bits = new Bitfield(share.metadata.chunkCount);
  bits.set(index);
  p.send({ type: 'bitfield', bits: bits.toBytes() });
  p.send({ type: 'unchoke' });
  await p.deliver();
  const request = p.received.find((m) => m.type === 'request');
  if (request?.type === 'request') {
    p.send(pieceOf(content, CHUNK, request));
    await p.deliver();
  }
  p.local.close();
  await p.deliver();
}

async function leecherWithMetadata(): Promise<ScriptedSetup & { seeder: ScriptedPeer }> {
  const setup = await scriptedEngine({
    seeder: false,
    size: 64 * CHUNK,
    chunkSize: CHUNK,
    config: { maxPartialBytes: BUDGET },
  });
  // An honest seeder that has everything but keeps us choked: it hands over the metadata only.
  const seeder = attachScripted(setup.engine, 'seeder');
  seeder.send(handshakeFor(setup.share.infoHash, 'seeder', 3));
  seeder.send(metadataOf(setup.share));
  await seeder.deliver();
  seeder.send({ type: 'bitfield', bits: fullBitfield(setup.share) });
  await seeder.deliver();
  return { ...setup, seeder };
}

describe('partial chunks under neighbors that send one block and leave', () => {
  it('keeps the bytes of all partial chunks under maxPartialBytes while a holder stays connected', async () => {
    const setup = await leecherWithMetadata();
    let peak = 0;
    for (let i = 0; i < 40; i++) {
      await oneBlockAndLeave(setup, `hit-and-run-${i}`, i);
      peak = Math.max(peak, ledgerOf(setup.engine).partialBytes);
    }
    expect(peak).toBeGreaterThan(0); // the attack did start chunks
    expect(peak).toBeLessThanOrEqual(BUDGET);
    expect(ledgerOf(setup.engine).active.size).toBeLessThanOrEqual(BUDGET / CHUNK);
  });

  it('frees a partial chunk when its last holder leaves', async () => {
    const setup = await scriptedEngine({ seeder: false, size: 64 * CHUNK, chunkSize: CHUNK });
    // Metadata from a neighbor that has no chunks and leaves.
    const meta = attachScripted(setup.engine, 'meta');
    meta.send(handshakeFor(setup.share.infoHash, 'meta', 3));
    meta.send(metadataOf(setup.share));
    await meta.deliver();
    for (let i = 0; i < 20; i++) {
      await oneBlockAndLeave(setup, `hit-and-run-${i}`, i);
      expect(ledgerOf(setup.engine).partialBytes).toBe(0);
    }
    expect(ledgerOf(setup.engine).active.size).toBe(0);
  });

  it('still downloads everything under a budget of one chunk', async () => {
    const setup = await scriptedEngine({
      seeder: false,
      size: 8 * CHUNK,
      chunkSize: CHUNK,
      config: { maxPartialBytes: 1 },
    });
    const { engine, content, events } = setup;
    const s = await attachUnchokingSource(setup, 'source');
    for (let round = 0; round < 200 && !events.some((e) => e.type === 'complete'); round++) {
      const requests = s.received.splice(0).filter((m) => m.type === 'request');
      for (const r of requests) if (r.type === 'request') s.send(pieceOf(content, CHUNK, r));
      await s.deliver();
      expect(ledgerOf(engine).active.size).toBeLessThanOrEqual(1);
    }
    expect(events.some((e) => e.type === 'complete')).toBe(true);
  });
});
