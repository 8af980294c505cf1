/**
 * One real engine and hand-scripted remote peers over held byte transports: the test writes the
 * remote side's messages itself (hostile, silent or exact behavior) and reads what the engine sent.
 */
import { decodeWireMessage, encodeWireMessage } from '../../protocol/wire';
import { WIRE_PROTOCOL_VERSION, type WireMessage } from '../../protocol/wire-messages';
import { Bitfield } from '../bitfield';
import type { EngineConfig } from '../config';
import { SwarmEngine } from '../engine';
import type { EngineEvent } from '../events';
import { MemoryChunkStore } from '../memory-store';
import { createSeededRandom } from '../random';
import type { CreatedShare } from '../share';
import { createTransportPair, type HeldTransport } from './held-pair';
import { jsHasher } from './hasher';
import { fillStore, pseudoRandomBytes, makeShare, yieldToHost } from './test-swarm';
import { VirtualClock } from '../../protocol/virtual-clock';

export interface ScriptedSetup {
  engine: SwarmEngine;
  share: CreatedShare;
  content: Uint8Array;
  clock: VirtualClock;
  events: EngineEvent[];
}

/** An engine for a 128 KiB share of 16 KiB chunks; a seeder (with metadata) unless `seeder: false`. */
export async function scriptedEngine(
  opts: { seeder?: boolean; config?: Partial<EngineConfig>; size?: number; chunkSize?: number } = {},
): Promise<ScriptedSetup> {
  const seeder = opts.seeder ?? true;
  const content = pseudoRandomBytes(opts.size ?? 128 * 1024, 1);
  const share = await makeShare(content, opts.chunkSize ?? 16 * 1024);
  const store = new MemoryChunkStore();
  if (seeder) await fillStore(store, content, share.metadata);
  const clock = new VirtualClock();
  const engine = await SwarmEngine.create({
    infoHash: share.infoHash,
    metadata: seeder ? share.metadata : undefined,
    encodedMetadata: seeder ? share.encodedMetadata : undefined,
    store,
    clock,
    hasher: jsHasher,
    random: createSeededRandom(1),
    localPeerId: 'me',
    config: { role: seeder ? 'seeder' : 'leecher', isOrigin: seeder, ...opts.config },
  });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  return { engine, share, content, clock, events };
}

export interface ScriptedPeer {
  /** The id the engine knows this neighbor by. */
  peerId: string;
  /** The engine's end. */
  local: HeldTransport;
  /** The script's end. */
  remote: HeldTransport;
  /** Everything the engine sent to this peer, decoded. */
  received: WireMessage[];
  send(message: WireMessage): void;
  /** Delivers both ways and lets promises run (twice, for replies to replies). */
  deliver(): Promise<void>;
}

export function attachScripted(engine: SwarmEngine, peerId: string): ScriptedPeer {
  const [local, remote] = createTransportPair();
  engine.addPeer(peerId, local);
  const received: WireMessage[] = [];
  remote.onMessage((bytes) => {
    const r = decodeWireMessage(bytes);
    if (r.ok) received.push(r.message);
  });
  return {
    peerId,
    local,
    remote,
    received,
    send: (m) => remote.send(encodeWireMessage(m)),
    async deliver() {
      for (let i = 0; i < 2; i++) {
        local.flush();
        remote.flush();
        await yieldToHost();
      }
    },
  };
}

export function handshakeFor(infoHash: Uint8Array, peerId: string, flags = 0): WireMessage {
  return { type: 'handshake', version: WIRE_PROTOCOL_VERSION, infoHash, peerId, flags };
}

export function peerErrors(events: EngineEvent[], peerId: string): string[] {
  return events
    .filter((e): e is Extract<EngineEvent, { type: 'peer-error' }> => e.type === 'peer-error' && e.peerId === peerId)
    .map((e) => e.error.message);
}

/**
 * The piece message that answers a request for `length` bytes at `offset` of chunk `index` with
 * the real bytes of `content` (whole chunk when only the index is given).
 */
export function pieceOf(
  content: Uint8Array,
  chunkSize: number,
  { index, offset = 0, length = chunkSize }: { index: number; offset?: number; length?: number },
): WireMessage {
  const start = index * chunkSize + offset;
  return { type: 'piece', index, offset, data: content.subarray(start, start + length) };
}

/** Whether `p`'s last choke message to its neighbor was 'choke' or 'unchoke' (undefined: neither yet). */
export const lastChokeState = (p: ScriptedPeer) =>
  [...p.received].reverse().find((m) => m.type === 'choke' || m.type === 'unchoke')?.type;

/** The whole metadata of `share` in one message, as a neighbor that has it answers. */
export function metadataOf(share: CreatedShare): WireMessage {
  return { type: 'metadata-data', piece: 0, totalSize: share.encodedMetadata.length, data: share.encodedMetadata };
}

/** Every chunk of `share` as a bitfield (spare bits clear). */
export function fullBitfield(share: CreatedShare): Uint8Array {
  const bits = new Bitfield(share.metadata.chunkCount);
  bits.setAll();
  return bits.toBytes();
}

/**
 * Makes `p` (unchoked by the engine) keep the engine's uplink busy: it asks for a block of each of
 * `chunks` and never reads what is sent, so with `highWaterBytes` at one block the first piece
 * sits in the transport and the other requests stay queued. The engine's idle-uplink rules (an
 * extra unchoke when nobody unchoked has requests queued, super-seeding's extra reveals) then
 * cannot fire, and a test sees the choking or reveal rule it checks alone.
 */
export async function keepUplinkBusy(p: ScriptedPeer, chunks: readonly number[], blockSize: number): Promise<void> {
  for (const index of chunks) p.send({ type: 'request', index, offset: 0, length: blockSize });
  p.remote.flush();
  await yieldToHost(); // the first piece is read from the store and sent
}

/** The chunks the engine showed `p` (its `have` messages), in order. */
export const shownTo = (p: ScriptedPeer): number[] =>
  p.received.filter((m) => m.type === 'have').map((m) => (m as { index: number }).index);

/**
 * A neighbor of a super-seeding sharer that asks for what it was shown and keeps the sharer's
 * uplink busy (keepUplinkBusy), so the idle-uplink rule shows nobody more.
 */
export async function attachBusyNeighbor(
  { engine, share }: Pick<ScriptedSetup, 'engine' | 'share'>,
  id: string,
  blockSize: number,
): Promise<ScriptedPeer> {
  const p = attachScripted(engine, id);
  p.send(handshakeFor(share.infoHash, id));
  p.send({ type: 'interested' });
  await p.deliver();
  if (lastChokeState(p) !== 'unchoke') throw new Error(`${id} was not unchoked`);
  await keepUplinkBusy(p, shownTo(p), blockSize);
  return p;
}

/** A scripted neighbor that hands a leecher the metadata, has every chunk and unchokes it. */
export async function attachUnchokingSource(
  setup: Pick<ScriptedSetup, 'engine' | 'share'>,
  peerId: string,
): Promise<ScriptedPeer> {
  const { engine, share } = setup;
  const s = attachScripted(engine, peerId);
  s.send(handshakeFor(share.infoHash, peerId, 3));
  s.send(metadataOf(share));
  await s.deliver();
  s.send({ type: 'bitfield', bits: fullBitfield(share) });
  s.send({ type: 'unchoke' });
  await s.deliver();
  return s;
}

/** Lets `ms` of virtual time pass tick by tick, delivering every peer's messages in between. */
export async function advanceTicks(
  setup: Pick<ScriptedSetup, 'engine' | 'clock'>,
  ms: number,
  peers: ScriptedPeer[],
): Promise<void> {
  for (let t = 0; t < ms; t += setup.engine.config.tickMs) {
    setup.clock.advance(setup.engine.config.tickMs);
    for (const p of peers) await p.deliver();
  }
}
