/**
 * Reciprocation memory against scripted neighbors: who counts as a defector (we unchoked it, it
 * held chunks we wanted for defectAfterMs, it never unchoked us), what a defector still gets (the
 * optimistic slot, an optimistic share of the uplink), and who never counts.
 */
import { describe, expect, it } from 'vitest';
import { CLASSROOM_DEFECT_AFTER_MS } from '../protocol/classroom';
import { EngineConfigError, type EngineConfig } from './config';
import {
  advanceTicks,
  attachScripted,
  handshakeFor,
  lastChokeState,
  metadataOf,
  pieceOf,
  scriptedEngine,
  type ScriptedPeer,
  type ScriptedSetup,
} from './testing/scripted-peer';

const KiB = 1024;
const CHUNK = 16 * KiB;
/** 8 chunks: a source hands us 0-3; the neighbors under test hold 4-7. */
const FIRST_HALF = Uint8Array.from([0b1111_0000]);
const SECOND_HALF = Uint8Array.from([0b0000_1111]);

const neighbor = (s: ScriptedSetup, id: string) => s.engine.snapshot().neighbors.find((n) => n.peerId === id)!;

/** A leecher that got chunks 0-3 from a source (which then wants nothing from it). */
async function leecherWithHalf(config: Partial<EngineConfig> = {}): Promise<ScriptedSetup & { source: ScriptedPeer }> {
  const setup = await scriptedEngine({
    seeder: false,
    config: { uploadSlots: 1, laggardSlots: 0, starterSlots: 0, resyncIntervalMs: 0, ...config },
  });
  const source = attachScripted(setup.engine, 'source');
  source.send(handshakeFor(setup.share.infoHash, 'source', 3));
  source.send(metadataOf(setup.share));
  await source.deliver();
  source.send({ type: 'bitfield', bits: FIRST_HALF });
  source.send({ type: 'unchoke' });
  await source.deliver();
  for (let round = 0; round < 4; round++) {
    for (const m of source.received.splice(0)) if (m.type === 'request') source.send(pieceOf(setup.content, CHUNK, m));
    await source.deliver();
  }
  expect(setup.engine.snapshot().verifiedChunks).toBe(4);
  return { ...setup, source };
}

/** A neighbor holding chunks 4-7 (or nothing) that wants ours and never unchokes us. */
async function taker(setup: ScriptedSetup, id: string, bits = SECOND_HALF): Promise<ScriptedPeer> {
  const p = attachScripted(setup.engine, id);
  p.send(handshakeFor(setup.share.infoHash, id));
  p.send({ type: 'bitfield', bits });
  p.send({ type: 'interested' });
  await p.deliver();
  return p;
}

const wait = advanceTicks;

describe('reciprocation memory', () => {
  it('a neighbor we unchoke that holds chunks we want and never unchokes us becomes a defector: optimistic slot only', async () => {
    const s = await leecherWithHalf();
    const rider = await taker(s, 'rider');
    const quiet = await taker(s, 'quiet', new Uint8Array(1)); // holds nothing: we never want from it
    expect(lastChokeState(rider)).toBe('unchoke'); // the free regular slot
    expect(neighbor(s, 'rider').optimistic).toBe(false);
    await wait(s, s.engine.config.defectAfterMs - 2_000, [rider, quiet]);
    expect(neighbor(s, 'rider').defector).toBe(false); // not yet: 8 s of 10
    await wait(s, 2_000, [rider, quiet]); // the 10 s rechoke
    expect(neighbor(s, 'rider').defector).toBe(true);
    expect(neighbor(s, 'quiet').defector).toBe(false);
    // The regular slot went to quiet; the rider keeps only the optimistic one.
    expect(neighbor(s, 'quiet')).toMatchObject({ amChoking: false, optimistic: false });
    expect(neighbor(s, 'rider')).toMatchObject({ amChoking: false, optimistic: true });
  });

  it('one unchoke makes a neighbor a giver for good, also after it chokes us again', async () => {
    const s = await leecherWithHalf();
    const giver = await taker(s, 'giver');
    giver.send({ type: 'unchoke' });
    giver.send({ type: 'choke' });
    await giver.deliver();
    await wait(s, 3 * s.engine.config.defectAfterMs, [giver]);
    expect(neighbor(s, 'giver')).toMatchObject({ defector: false, amChoking: false, optimistic: false });
  });

  it('a neighbor we never unchoked is no defector (a pair of honest peers that never traded)', async () => {
    const s = await leecherWithHalf();
    const never = attachScripted(s.engine, 'never'); // holds what we want but is not interested in us
    never.send(handshakeFor(s.share.infoHash, 'never'));
    never.send({ type: 'bitfield', bits: SECOND_HALF });
    await never.deliver();
    await wait(s, 3 * s.engine.config.defectAfterMs, [never]);
    expect(neighbor(s, 'never')).toMatchObject({ amInterested: true, amChoking: true, defector: false });
  });

  it('remembers a defector by peer id: reconnecting does not wipe it', async () => {
    const s = await leecherWithHalf();
    const rider = await taker(s, 'rider');
    await wait(s, s.engine.config.defectAfterMs, [rider]);
    expect(neighbor(s, 'rider').defector).toBe(true);
    rider.local.close();
    await rider.deliver();
    expect(s.engine.snapshot().neighbors.some((n) => n.peerId === 'rider')).toBe(false);
    const again = await taker(s, 'rider');
    expect(neighbor(s, 'rider').defector).toBe(true);
    // Not even the free regular slot: only the optimistic one, which it gets at once.
    expect(neighbor(s, 'rider')).toMatchObject({ amChoking: false, optimistic: true });
    expect(lastChokeState(again)).toBe('unchoke');
  });

  it('serves a defector at most an optimistic share of the uplink, and never starves it', async () => {
    const s = await leecherWithHalf({ uploadSlots: 4 });
    const honest = await taker(s, 'honest', new Uint8Array(1)); // wants from us, holds nothing
    // The honest neighbor takes a chunk a second for 10 s: our uplink's measured peak.
    for (let second = 0; second < 10; second++) {
      honest.send({ type: 'request', index: second % 4, offset: 0, length: CHUNK });
      await honest.deliver();
      s.clock.advance(1_000);
    }
    const rider = await taker(s, 'rider');
    await wait(s, s.engine.config.defectAfterMs, [rider, honest, s.source]);
    expect(neighbor(s, 'rider')).toMatchObject({ defector: true, amChoking: false });
    const peak = 16 * KiB; // bytes/s at most: one chunk a second
    const share = peak / (s.engine.config.uploadSlots + 1);
    for (let i = 0; i < 4; i++) rider.send({ type: 'request', index: i, offset: 0, length: CHUNK });
    await rider.deliver();
    const pieces = () => rider.received.filter((m) => m.type === 'piece').length;
    expect(pieces()).toBeLessThanOrEqual(1); // one block may always go (the burst)
    // 3 more chunks at the share take at least 3 chunk / share seconds; they all arrive.
    let elapsed = 0;
    while (pieces() < 4 && elapsed < 60_000) {
      s.clock.advance(250);
      elapsed += 250;
      for (const p of [rider, honest, s.source]) await p.deliver(); // a link left full would hold the uplink queue
    }
    expect(pieces()).toBe(4);
    expect(elapsed).toBeGreaterThanOrEqual(((3 * CHUNK) / share) * 1000 * 0.9);
  });
});

describe('a shorter defector window (a classroom round: CLASSROOM_DEFECT_AFTER_MS)', () => {
  const WINDOW = CLASSROOM_DEFECT_AFTER_MS;

  it('judges a neighbor that never unchokes us after the window, never after a single tick', async () => {
    const s = await leecherWithHalf();
    s.engine.setDefectAfterMs(WINDOW);
    const rider = await taker(s, 'rider');
    await wait(s, s.engine.config.tickMs, [rider]);
    expect(neighbor(s, 'rider').defector).toBe(false); // one look is no judgement
    await wait(s, WINDOW - s.engine.config.tickMs, [rider]);
    expect(neighbor(s, 'rider').defector).toBe(true);
  });

  it('an honest neighbor is never a defector, even one whose unchoke comes after a tick of waiting', async () => {
    const s = await leecherWithHalf();
    s.engine.setDefectAfterMs(WINDOW);
    const prompt = await taker(s, 'prompt');
    const late = await taker(s, 'late');
    // Both got our upload (the regular and the optimistic slot): either could defect.
    expect([neighbor(s, 'prompt').amChoking, neighbor(s, 'late').amChoking]).toEqual([false, false]);
    // `prompt` unchokes us a round-trip after our interest; `late` only after a tick saw it withhold.
    s.clock.advance(50);
    prompt.send({ type: 'unchoke' });
    await prompt.deliver();
    await wait(s, s.engine.config.tickMs, [prompt, late]);
    expect(neighbor(s, 'late')).toMatchObject({ amInterested: true, peerChoking: true, defector: false });
    late.send({ type: 'unchoke' });
    await late.deliver();
    await wait(s, 5 * WINDOW, [prompt, late]);
    expect(neighbor(s, 'prompt').defector).toBe(false);
    expect(neighbor(s, 'late').defector).toBe(false);
  });

  it('goes back to the window it was created with when the round ends', async () => {
    const s = await leecherWithHalf({ defectAfterMs: 7_000 });
    s.engine.setDefectAfterMs(WINDOW);
    expect(s.engine.config.defectAfterMs).toBe(WINDOW);
    s.engine.setDefectAfterMs();
    expect(s.engine.config.defectAfterMs).toBe(7_000);
  });

  it('refuses a window that is not a number >= 0', async () => {
    const s = await leecherWithHalf();
    for (const bad of [-1, Number.NaN]) expect(() => s.engine.setDefectAfterMs(bad)).toThrow(EngineConfigError);
    expect(s.engine.config.defectAfterMs).toBe(10_000);
  });
});
