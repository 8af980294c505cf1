/**
 * Runs one swarm of real engines (src/engine) over the simulated network under a virtual clock:
 * one original sharer (the seeder) and N downloaders, each with its own capacities and latency,
 * joining and leaving when the spec says. Measures the distribution time: virtual time from the
 * start until every downloader that stays has the whole file.
 */
import {
  createSeededRandom,
  pseudoRandomBytes,
  VirtualClock,
  encodeMetadata,
  SwarmEngine,
  type EngineConfig,
  type EngineEvent,
  type EngineMode,
} from '../engine/index';
import type { ShareMetadata } from '../protocol/metadata';
import type { WireMessage } from '../protocol/wire-messages';
import { identityMemoHasher, type CountingHasher } from './content';
import { Network, type Host, type HostSpec } from './network';
import { SharedChunkStore } from './shared-store';
import { runClock } from './run-loop';
import { wireSize } from '../protocol/wire-size';

/** One downloader. Rates in bytes per second, times in ms of virtual time. */
export interface PeerSpec extends HostSpec {
  joinAtMs: number;
  /** Leaves (closes every link, engine destroyed) at this time, if set. */
  leaveAtMs?: number;
  /** A free rider: its engine unchokes nobody (engine setting freeRide), so it uploads nothing. */
  freeRide?: boolean;
}

export interface SwarmSpec {
  mode: EngineMode;
  sizeBytes: number;
  chunkSize: number;
  /** Request size; default: the chunk size (one request and one piece message per chunk). */
  blockSize?: number;
  seeder: HostSpec & { leaveAtMs?: number };
  peers: PeerSpec[];
  /** Size of the random peer list a joining peer gets from the "tracker" (it connects to all). */
  peerListSize: number;
  /** A peer with fewer live neighbors than this asks the tracker again (every reannounceMs). */
  minNeighbors?: number;
  reannounceMs?: number;
  seed: number;
  /** Give up at this virtual time. */
  deadlineMs: number;
  engineConfig?: Partial<EngineConfig>;
  /**
   * Each engine caps its upload (upBytesPerSec) at its host's upload capacity, and the link itself
   * is CAPPED_LINK_FACTOR x faster: the engine's token bucket paces the upload, as in the browser
   * bench (a loopback data channel, uploads capped by the engine).
   */
  engineUploadCap?: boolean;
  /** Compare every downloader's stored chunks with the original (slow for big runs). */
  verifyBytes?: boolean;
  quantumMs?: number;
  /** How the run lets promise continuations run between windows (run-loop.ts); default: a macrotask. */
  yieldToHost?: () => Promise<void>;
  /** Sees every engine event of every peer (index -1 = the sharer), with its virtual time. */
  observe?: (peer: number, event: EngineEvent, tMs: number) => void;
  /** Called once at the end of the run, before the engines are destroyed (debugging). */
  inspect?: (downloaders: SwarmEngine[], seeder: SwarmEngine) => void;
  /** Record the swarm's upload utilization every this many ms (result.timeline). */
  sampleEveryMs?: number;
  /** Called at every timeline sample with the live engines (null: not joined yet, or left): look inside a run while it goes. */
  probe?: (tMs: number, downloaders: Array<SwarmEngine | null>, seeder: SwarmEngine) => void;
}

/** One sample: virtual time, bytes all uplinks served since the previous sample, capacity present. */
export interface TimelineSample {
  tMs: number;
  uploadedBytes: number;
  /** Sum of the upload capacities of the hosts present (bytes/s). */
  capacityBps: number;
  completed: number;
}

export interface SwarmResult {
  /** Virtual ms until the last staying downloader completed; NaN if some never did. */
  distributionMs: number;
  outcome: 'done' | 'deadline' | 'idle';
  /** Per downloader: completion time (ms) or null (left or never completed). */
  completedAtMs: Array<number | null>;
  /** Per downloader: bytes its uplink sent (every message, data and control). */
  uploadedBytes: number[];
  completed: number;
  /** Downloaders expected to complete (those still present at the end). */
  expected: number;
  /** Every stored chunk of every completed downloader equals the original (undefined if not checked). */
  bytesIdentical?: boolean;
  messages: number;
  hashesComputed: number;
  /** The first few protocol errors and local errors seen (text). */
  peerErrors: string[];
  /** How many there were in all. */
  peerErrorCount: number;
  timeline?: TimelineSample[];
}

/** With engineUploadCap: how much faster than the engine's cap a link is (bench:browser's loopback channels: ~9 MB/s against 512 KiB/s caps). */
export const CAPPED_LINK_FACTOR = 16;

interface SimPeer {
  id: string;
  host: Host;
  /** Upload capacity (the engine's cap with engineUploadCap, else the link's). */
  upCapacity: number;
  engine: SwarmEngine;
  store: SharedChunkStore;
  joined: boolean;
  gone: boolean;
}

export async function runSwarm(spec: SwarmSpec): Promise<SwarmResult> {
  const clock = new VirtualClock();
  const net = new Network<WireMessage>(clock, wireSize);
  const rng = createSeededRandom(spec.seed);
  const hasher = identityMemoHasher();

  // The file, its chunks as views of one buffer (shared by every peer), and the share.
  const content = pseudoRandomBytes(spec.sizeBytes, spec.seed);
  const chunkCount = Math.ceil(content.length / spec.chunkSize);
  const chunks = Array.from({ length: chunkCount }, (_, i) =>
    content.subarray(i * spec.chunkSize, Math.min(content.length, (i + 1) * spec.chunkSize)),
  );
  const share = await makeShare(chunks, content.length, spec.chunkSize, hasher);
  hasher.addKnownContent(chunks);

  const baseConfig: Partial<EngineConfig> = {
    mode: spec.mode,
    blockSize: spec.blockSize ?? spec.chunkSize,
    ...spec.engineConfig,
  };
  const peerErrors: string[] = [];
  let peerErrorCount = 0;
  const makePeer = async (
    id: string,
    hostSpec: HostSpec & { freeRide?: boolean },
    seeder: boolean,
    index: number,
  ): Promise<SimPeer> => {
    const store = new SharedChunkStore(chunks, !!spec.verifyBytes);
    if (seeder) for (let i = 0; i < chunkCount; i++) await store.put(i, chunks[i]!);
    const engine = await SwarmEngine.create({
      infoHash: share.infoHash,
      ...(seeder ? { metadata: share.metadata, encodedMetadata: share.encodedMetadata } : {}),
      store,
      clock,
      hasher,
      random: createSeededRandom(spec.seed * 7919 + index + 1),
      localPeerId: id,
      config: {
        ...baseConfig,
        ...(spec.engineUploadCap ? { upBytesPerSec: hostSpec.upBytesPerSecond } : {}),
        role: seeder ? 'seeder' : 'leecher',
        isOrigin: seeder,
        ...(hostSpec.freeRide ? { freeRide: true } : {}),
      },
    });
    const link = spec.engineUploadCap
      ? { ...hostSpec, upBytesPerSecond: hostSpec.upBytesPerSecond * CAPPED_LINK_FACTOR }
      : hostSpec;
    const peer: SimPeer = {
      id,
      host: net.addHost(link),
      upCapacity: hostSpec.upBytesPerSecond,
      engine,
      store,
      joined: false,
      gone: false,
    };
    const observe = spec.observe;
    if (observe) engine.on((ev) => observe(index - 1, ev, clock.now()));
    engine.on((ev) => {
      if (ev.type !== 'error' && ev.type !== 'peer-error') return;
      peerErrorCount++;
      if (peerErrors.length < 20)
        peerErrors.push(
          ev.type === 'error' ? `${id}: ${ev.error.message}` : `${id}<-${ev.peerId}: ${ev.error.message}`,
        );
    });
    return peer;
  };

  const seeder = await makePeer('seed', spec.seeder, true, 0);
  seeder.joined = true;
  const downloaders: SimPeer[] = [];
  for (let i = 0; i < spec.peers.length; i++) downloaders.push(await makePeer(`p${i}`, spec.peers[i]!, false, i + 1));

  const completedAtMs: Array<number | null> = downloaders.map(() => null);
  let completed = 0;
  downloaders.forEach((p, i) =>
    p.engine.on((ev) => {
      if (ev.type === 'complete' && completedAtMs[i] === null) {
        completedAtMs[i] = clock.now();
        completed++;
      }
    }),
  );

  // The tracker: members in join order; a random list of live members for each newcomer.
  const members: SimPeer[] = [seeder];
  const linked = new Map<SimPeer, Set<SimPeer>>();
  const link = (a: SimPeer, b: SimPeer) => {
    if (a === b || a.gone || b.gone || linked.get(a)?.has(b)) return;
    const [ab, ba] = net.connect(a.host, b.host);
    if (!linked.has(a)) linked.set(a, new Set());
    if (!linked.has(b)) linked.set(b, new Set());
    linked.get(a)!.add(b);
    linked.get(b)!.add(a);
    const forget = () => {
      linked.get(a)?.delete(b);
      linked.get(b)?.delete(a);
    };
    ab.onClose(forget);
    a.engine.addPeerLink(b.id, ab);
    b.engine.addPeerLink(a.id, ba);
  };
  const announce = (p: SimPeer) => {
    const live = members.filter((m) => !m.gone && m !== p && !linked.get(p)?.has(m));
    // Partial Fisher-Yates: the first peerListSize entries become a uniform random sample.
    const k = Math.min(spec.peerListSize, live.length);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(rng() * (live.length - i));
      [live[i], live[j]] = [live[j]!, live[i]!];
      link(p, live[i]!);
    }
    // Client-server: a downloader must reach the server whatever the list says.
    if (spec.mode === 'cs' && p !== seeder) link(p, seeder);
  };
  const leave = (p: SimPeer) => {
    if (p.gone) return;
    p.gone = true;
    net.removeHost(p.host);
    p.engine.destroy();
  };

  for (const [i, p] of downloaders.entries()) {
    const s = spec.peers[i]!;
    clock.at(s.joinAtMs, () => {
      p.joined = true;
      members.push(p);
      announce(p);
    });
    if (s.leaveAtMs !== undefined) clock.at(s.leaveAtMs, () => leave(p));
  }
  if (spec.seeder.leaveAtMs !== undefined) clock.at(spec.seeder.leaveAtMs, () => leave(seeder));

  // Re-announce: peers that lost neighbors (churn) ask for more, as a tracker client would.
  const minNeighbors = spec.minNeighbors ?? 0;
  if (minNeighbors > 0) {
    const every = spec.reannounceMs ?? 30_000;
    const tick = () => {
      for (const p of members) {
        if (!p.gone && p !== seeder && !p.engine.isComplete() && (linked.get(p)?.size ?? 0) < minNeighbors) announce(p);
      }
      clock.setTimeout(tick, every);
    };
    clock.setTimeout(tick, every);
  }

  const timeline: TimelineSample[] = [];
  if (spec.sampleEveryMs) {
    const every = spec.sampleEveryMs;
    let last = 0;
    const sample = () => {
      let sent = 0;
      let capacity = 0;
      for (const p of [seeder, ...downloaders]) {
        sent += p.host.uplink.bytesSent;
        if (p.joined && !p.gone) capacity += p.upCapacity;
      }
      timeline.push({ tMs: clock.now(), uploadedBytes: sent - last, capacityBps: capacity, completed });
      spec.probe?.(
        clock.now(),
        downloaders.map((p) => (p.joined && !p.gone ? p.engine : null)),
        seeder.engine,
      );
      last = sent;
      clock.setTimeout(sample, every);
    };
    clock.setTimeout(sample, every);
  }

  const staying = (i: number) => spec.peers[i]!.leaveAtMs === undefined;
  // Done when every downloader has the file or has left (a leaver is waited for until it leaves).
  const outcome = await runClock(clock, {
    done: () => downloaders.every((p, i) => completedAtMs[i] !== null || p.gone),
    deadlineMs: spec.deadlineMs,
    quantumMs: spec.quantumMs,
    yieldToHost: spec.yieldToHost,
  });

  spec.inspect?.(
    downloaders.map((p) => p.engine),
    seeder.engine,
  );
  const expected = downloaders.filter((_, i) => staying(i) || completedAtMs[i] !== null).length;
  const allDone = outcome === 'done';
  const times = completedAtMs.filter((t): t is number => t !== null);
  const result: SwarmResult = {
    distributionMs: allDone && times.length > 0 ? Math.max(...times) : allDone ? 0 : NaN,
    outcome,
    completedAtMs,
    uploadedBytes: downloaders.map((p) => p.host.uplink.bytesSent),
    completed,
    expected,
    messages: net.messagesSent,
    hashesComputed: hasher.computed,
    peerErrors,
    peerErrorCount,
  };
  if (spec.sampleEveryMs) result.timeline = timeline;
  if (spec.verifyBytes)
    result.bytesIdentical = await verifyStores(
      downloaders.filter((_, i) => completedAtMs[i] !== null),
      chunks,
    );
  for (const p of [seeder, ...downloaders]) if (!p.gone) p.engine.destroy();
  return result;
}

/**
 * The share's metadata and info hash, as createShare builds them, but hashing the very chunk views
 * the peers will pass around (createShare hashes copies), so the memo already knows every chunk.
 */
async function makeShare(chunks: Uint8Array[], totalSize: number, chunkSize: number, hasher: CountingHasher) {
  const chunkHashes = new Uint8Array(chunks.length * 32);
  const digests = await Promise.all(chunks.map((c) => hasher.warm(c)));
  digests.forEach((d, i) => chunkHashes.set(d, i * 32));
  const metadata: ShareMetadata = {
    chunkSize,
    files: [{ name: 'sim.bin', size: totalSize, type: 'application/octet-stream' }],
    totalSize,
    chunkCount: chunks.length,
    chunkHashes,
  };
  const encodedMetadata = encodeMetadata(metadata);
  return { metadata, encodedMetadata, infoHash: await hasher.sha256(encodedMetadata) };
}

async function verifyStores(peers: SimPeer[], chunks: Uint8Array[]): Promise<boolean> {
  for (const p of peers) {
    if (p.store.mismatches > 0) return false;
    for (let i = 0; i < chunks.length; i++) if ((await p.store.get(i)) !== chunks[i]) return false;
  }
  return true;
}
