/**
 * Engine CPU cost per block size (Node, no network): one sharer and one downloader joined by an
 * in-memory byte transport pair (the real codec path), flushed as fast as possible. Prints MiB/s
 * of verified download per block size, and a baseline measured in the same run: the bare work of
 * moving the same bytes through the codec (encode + decode + copy into a chunk + SHA-256 per
 * chunk), so the ratio is the engine's own overhead. Run: npx tsx bench/engine.ts [MiB]
 */
import { createHash } from 'node:crypto';
import { decodeWireMessage, encodeWireMessage } from '../src/protocol/wire';
import { SwarmEngine, MemoryChunkStore, createSeededRandom, type Hasher } from '../src/engine/index';
import {
  createTransportPair,
  fillStore,
  pseudoRandomBytes,
  makeShare,
  VirtualClock,
} from '../src/engine/testing/index';

const MiB = 1024 * 1024;
const sizeMiB = Number(process.argv[2] ?? 32);
const CHUNK = 256 * 1024;
const hasher: Hasher = { sha256: async (d) => new Uint8Array(createHash('sha256').update(d).digest()) };
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

async function engineRun(content: Uint8Array, blockSize: number): Promise<number> {
  const share = await makeShare(content, CHUNK, hasher);
  const clock = new VirtualClock();
  const seedStore = new MemoryChunkStore();
  await fillStore(seedStore, content, share.metadata);
  const common = { infoHash: share.infoHash, clock, hasher };
  const seed = await SwarmEngine.create({
    ...common,
    metadata: share.metadata,
    encodedMetadata: share.encodedMetadata,
    store: seedStore,
    random: createSeededRandom(1),
    localPeerId: 's',
    config: { role: 'seeder', isOrigin: true, blockSize },
  });
  const leech = await SwarmEngine.create({
    ...common,
    store: new MemoryChunkStore(),
    random: createSeededRandom(2),
    localPeerId: 'l',
    config: { blockSize, highWaterBytes: 4 * MiB },
  });
  const [a, b] = createTransportPair();
  seed.addPeer('l', a);
  leech.addPeer('s', b);
  const t0 = performance.now();
  while (!leech.isComplete()) {
    a.flush();
    b.flush();
    await yieldNow();
  }
  const ms = performance.now() - t0;
  seed.destroy();
  leech.destroy();
  return content.length / MiB / (ms / 1000);
}

function baselineRun(content: Uint8Array, blockSize: number): number {
  const t0 = performance.now();
  for (let c = 0; c * CHUNK < content.length; c++) {
    const chunk = new Uint8Array(Math.min(CHUNK, content.length - c * CHUNK));
    for (let off = 0; off < chunk.length; off += blockSize) {
      const data = content.subarray(c * CHUNK + off, c * CHUNK + Math.min(off + blockSize, chunk.length));
      const r = decodeWireMessage(encodeWireMessage({ type: 'piece', index: c, offset: off, data }));
      if (r.ok && r.message.type === 'piece') chunk.set(r.message.data, off);
    }
    createHash('sha256').update(chunk).digest();
  }
  return content.length / MiB / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const content = pseudoRandomBytes(sizeMiB * MiB, 1);
console.log(`engine over an in-memory byte transport, ${sizeMiB} MiB, 256 KiB chunks, median of 3`);
for (const blockKiB of [16, 64, 128]) {
  const e: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < 3; i++) {
    base.push(baselineRun(content, blockKiB * 1024));
    e.push(await engineRun(content, blockKiB * 1024));
  }
  const em = median(e);
  const bm = median(base);
  console.log(
    `block ${String(blockKiB).padStart(3)} KiB: engine ${em.toFixed(0)} MiB/s, baseline (codec + copy + hash) ${bm.toFixed(0)} MiB/s, engine/baseline ${(em / bm).toFixed(2)}`,
  );
}
