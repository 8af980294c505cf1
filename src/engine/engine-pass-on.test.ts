/**
 * Tit-for-tat at the sharer (pass-on.ts) against scripted neighbors: a neighbor that never passes
 * on a chunk only it got from the sharer becomes a defector there (optimistic slot, defectors'
 * share); one whose chunk shows up at another neighbor never does; nor does a lone downloader, nor
 * anyone at a peer that is not the sharer.
 */
import { describe, expect, it } from 'vitest';
import type { EngineConfig } from './config';
import {
  advanceTicks,
  attachScripted,
  handshakeFor,
  scriptedEngine,
  shownTo,
  type ScriptedPeer,
  type ScriptedSetup,
} from './testing/scripted-peer';

const CHUNK = 16 * 1024;
const WINDOW = 2_000;
/** The sharer judges after two windows (pass-on.ts, WINDOWS). */
const JUDGED_AFTER = 2 * WINDOW;

const defector = (s: ScriptedSetup, id: string) => s.engine.snapshot().neighbors.find((n) => n.peerId === id)?.defector;

async function sharer(config: Partial<EngineConfig> = {}): Promise<ScriptedSetup> {
  // 8 chunks of 16 KiB, 2 shown per neighbor; patience past the test so shown chunks are not re-shown.
  return scriptedEngine({
    config: { superSeeding: true, superSeedReveals: 2, superSeedPatienceMs: 60_000, defectAfterMs: WINDOW, ...config },
  });
}

/** A downloader: handshake, interest; linked all at once so none is a lone downloader. */
async function downloaders(s: ScriptedSetup, ids: string[]): Promise<ScriptedPeer[]> {
  const peers = ids.map((id) => attachScripted(s.engine, id));
  for (const p of peers) {
    p.send(handshakeFor(s.share.infoHash, p.peerId));
    p.send({ type: 'bitfield', bits: new Uint8Array(1) });
    p.send({ type: 'interested' });
  }
  for (const p of peers) await p.deliver();
  return peers;
}

/** `p` asks for the first chunk it was shown, gets it and announces it; the chunk's index. */
async function fetchFirstShown(p: ScriptedPeer): Promise<number> {
  const index = shownTo(p)[0]!;
  p.send({ type: 'request', index, offset: 0, length: CHUNK });
  await p.deliver();
  expect(p.received.some((m) => m.type === 'piece' && m.index === index)).toBe(true);
  p.send({ type: 'have', index });
  await p.deliver();
  return index;
}

const wait = advanceTicks;

describe('tit-for-tat at the sharer: does what it gave spread?', () => {
  it('a neighbor whose only-from-us chunk never shows up elsewhere is a defector after two windows; one that passed it on never is', async () => {
    const s = await sharer({ tickMs: 500 });
    const [rider, giver, third] = await downloaders(s, ['rider', 'giver', 'third']);
    await fetchFirstShown(rider!);
    const passed = await fetchFirstShown(giver!);
    // `third` announces the giver's chunk: we never sent it that chunk, so it came from the giver.
    expect(shownTo(third!)).not.toContain(passed);
    third!.send({ type: 'have', index: passed });
    await third!.deliver();
    const all = [rider!, giver!, third!];
    await wait(s, JUDGED_AFTER - 1_000, all);
    expect(defector(s, 'rider')).toBe(false); // not yet
    await wait(s, 1_000, all);
    expect(defector(s, 'rider')).toBe(true);
    expect(defector(s, 'giver')).toBe(false);
    expect(defector(s, 'third')).toBe(false); // holds nothing only-from-us
    await wait(s, 5 * JUDGED_AFTER, all);
    expect(defector(s, 'giver')).toBe(false);
  });

  it('a defector at the sharer keeps only the optimistic slot: after a rechoke it is unchoked only as the optimistic neighbor', async () => {
    const s = await sharer({ tickMs: 500, rechokeIntervalMs: 1_000 });
    const [rider, other] = await downloaders(s, ['rider', 'other']);
    const view = (id: string) => s.engine.snapshot().neighbors.find((n) => n.peerId === id)!;
    expect(view('rider')).toMatchObject({ amChoking: false, optimistic: false }); // a regular slot, like everyone
    await fetchFirstShown(rider!);
    await wait(s, JUDGED_AFTER + 1_000, [rider!, other!]);
    expect(view('rider')).toMatchObject({ defector: true, amChoking: false, optimistic: true });
    expect(view('other')).toMatchObject({ defector: false, amChoking: false, optimistic: false });
  });

  it('a copy the sharer gave a second neighbor itself is no passing on: the first holder is still judged', async () => {
    const s = await sharer({ tickMs: 500 });
    const [a, b] = await downloaders(s, ['a', 'b']);
    const index = await fetchFirstShown(a!);
    // b asks the sharer for the same chunk (a request for a chunk not shown is still served).
    b!.send({ type: 'request', index, offset: 0, length: CHUNK });
    await b!.deliver();
    expect(b!.received.some((m) => m.type === 'piece' && m.index === index)).toBe(true);
    b!.send({ type: 'have', index });
    await b!.deliver();
    await wait(s, JUDGED_AFTER + 500, [a!, b!]);
    // b's copy came from us, not from a: a passed nothing on; b holds nothing it alone got from us.
    expect(defector(s, 'a')).toBe(true);
    expect(defector(s, 'b')).toBe(false);
  });

  it('a lone downloader (nobody else to pass to) is never a defector', async () => {
    const s = await sharer({ tickMs: 500 });
    const [alone] = await downloaders(s, ['alone']);
    await fetchFirstShown(alone!);
    await wait(s, 3 * JUDGED_AFTER, [alone!]);
    expect(defector(s, 'alone')).toBe(false);
  });

  it('remembers a defector by peer id: reconnecting does not wipe it', async () => {
    const s = await sharer({ tickMs: 500 });
    const [rider, other] = await downloaders(s, ['rider', 'other']);
    await fetchFirstShown(rider!);
    await wait(s, JUDGED_AFTER + 500, [rider!, other!]);
    expect(defector(s, 'rider')).toBe(true);
    rider!.local.close();
    await rider!.deliver();
    expect(defector(s, 'rider')).toBeUndefined();
    await downloaders(s, ['rider']);
    expect(defector(s, 'rider')).toBe(true);
  });

  it('forgetJudgements: a defector starts over, judged again only after two more windows', async () => {
    const s = await sharer({ tickMs: 500 });
    const [rider, other] = await downloaders(s, ['rider', 'other']);
    await fetchFirstShown(rider!);
    await wait(s, JUDGED_AFTER + 500, [rider!, other!]);
    expect(defector(s, 'rider')).toBe(true);
    s.engine.forgetJudgements();
    expect(defector(s, 'rider')).toBe(false);
    // What it was given before says nothing now: only chunks given from here on count.
    await wait(s, 2 * JUDGED_AFTER, [rider!, other!]);
    expect(defector(s, 'rider')).toBe(false);
    rider!.send({ type: 'request', index: shownTo(rider!).at(-1)!, offset: 0, length: CHUNK });
    await rider!.deliver();
    rider!.send({ type: 'have', index: shownTo(rider!).at(-1)! });
    await rider!.deliver();
    await wait(s, JUDGED_AFTER + 500, [rider!, other!]);
    expect(defector(s, 'rider')).toBe(true);
  });

  it('a downloader that is not the sharer never judges by spreading (it has its own tit-for-tat)', async () => {
    const s = await scriptedEngine({ config: { isOrigin: false, defectAfterMs: WINDOW, tickMs: 500 } });
    const [a, b] = await downloaders(s, ['a', 'b']);
    a!.send({ type: 'request', index: 0, offset: 0, length: CHUNK });
    await a!.deliver();
    a!.send({ type: 'have', index: 0 });
    await a!.deliver();
    await wait(s, 3 * JUDGED_AFTER, [a!, b!]);
    expect(defector(s, 'a')).toBe(false);
  });
});
