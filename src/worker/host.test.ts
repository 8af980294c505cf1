/** The worker host with fake IndexedDB, a virtual clock and a recording server: no worker, no page. */
import 'fake-indexeddb/auto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../engine';
import { createWorkerHost, HASH_PROGRESS_MS, STATUS_INTERVAL_MS } from './host';
import type { WorkerEvent } from './protocol';
import { ShareRecords } from './share-records';
import { parseLinkSecret, shareKeys } from '../protocol/share-keys';

let db = 0;
const secret = 'Q'.repeat(43); // canonical base64url: the last character's two spare bits are 0
const swarmId = shareKeys(parseLinkSecret(secret)).swarmId;

function host() {
  const n = db++;
  const clock = new VirtualClock();
  const events: WorkerEvent[] = [];
  let crashes = 0;
  const h = createWorkerHost(
    {
      records: new ShareRecords(createStore(`host-records-${n}`, 'shares')),
      chunkDb: createStore(`host-chunks-${n}`, 'chunks'),
      clock,
      storageManager: { estimate: async () => ({ quota: 100, usage: 40 }), persisted: async () => true },
      wallNow: () => 1_000,
      placeholderPeerId: 'local-0',
      crash: () => crashes++,
    },
    { emit: (e) => void events.push(e) },
  );
  return { ...h, clock, events, crashes: () => crashes };
}

describe('worker host', () => {
  it('a peer id given while a link is still opening reaches its engine, and later ones too', async () => {
    const h = host();
    const opened = h.methods.openShare({ secret });
    await h.methods.setPeerId({ peerId: 'peer-one' });
    expect((await opened).createdAt).toBe(1_000);
    expect(h.sessions.get(swarmId)!.swarmEngine.localPeerId).toBe('peer-one');
    await h.methods.setPeerId({ peerId: 'peer-two' });
    expect(h.sessions.get(swarmId)!.swarmEngine.localPeerId).toBe('peer-two');
  });

  it('refuses a malformed peer id or link with a clear error', async () => {
    const h = host();
    expect(() => h.methods.setPeerId({ peerId: '' })).toThrow(/bad peer id/);
    expect(() => h.methods.openShare({ secret: 'not-a-link' })).toThrow(/malformed link/);
    // 43 base64url characters, but not what base64url of 32 bytes gives (spare bits set): no such share
    expect(() => h.methods.openShare({ secret: 'S'.repeat(43) })).toThrow(/malformed link/);
  });

  it('sends each running share status every STATUS_INTERVAL_MS of its clock', async () => {
    const h = host();
    await h.methods.openShare({ secret });
    h.clock.advance(STATUS_INTERVAL_MS - 1);
    expect(h.events.filter((e) => e.type === 'status')).toHaveLength(0);
    h.clock.advance(1);
    h.clock.advance(STATUS_INTERVAL_MS);
    expect(h.events.filter((e) => e.type === 'status')).toHaveLength(2);
  });

  it('reports storage from the injected storage manager, and crashes only on request', async () => {
    const h = host();
    expect(await h.methods.storage({})).toEqual({ usage: 40, quota: 100, persisted: true });
    expect(h.crashes()).toBe(0);
    h.onNotify({ type: 'crash' });
    expect(h.crashes()).toBe(1);
  });
});

/** A transferred RTCDataChannel as ChannelTransport uses it: open, recording what is sent. */
class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'open';
  bufferedAmount = 0;
  binaryType = 'arraybuffer';
  bufferedAmountLowThreshold = 0;
  readonly sent: unknown[] = [];
  send(data: unknown): void {
    this.sent.push(data);
  }
  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }
  receive(bytes: number): void {
    this.dispatchEvent(new MessageEvent('message', { data: new ArrayBuffer(bytes) }));
  }
}

describe('worker host: neighbors wait for admission (peer-auth on the page)', () => {
  const add = (h: ReturnType<typeof host>, peerId: string) => {
    const channel = new FakeChannel();
    void h.methods.addChannelPeer({ swarmId, peerId, channel: channel as unknown as RTCDataChannel });
    return channel;
  };

  it('a channel is neither sent to nor heard by the engine until admitPeer', async () => {
    const h = host();
    await h.methods.openShare({ secret });
    const channel = add(h, 'peer-a');
    channel.receive(10);
    await Promise.resolve();
    expect(channel.sent).toEqual([]);
    expect(await h.methods.admitPeer({ swarmId, peerId: 'peer-a' })).toEqual({ ok: true });
    await Promise.resolve();
    expect(channel.sent.length).toBeGreaterThan(0); // the engine's handshake
    expect(await h.methods.admitPeer({ swarmId, peerId: 'peer-a' })).toEqual({ ok: false }); // once
  });

  it('more than MAX_HELD_BYTES before admission closes the channel and asks the page to drop the peer', async () => {
    const h = host();
    await h.methods.openShare({ secret });
    const channel = add(h, 'peer-b');
    for (let i = 0; i < 16; i++) channel.receive(64 * 1024);
    expect(channel.readyState).toBe('open'); // 1 MiB is still held
    channel.receive(1);
    expect(channel.readyState).toBe('closed');
    expect(h.events).toContainEqual({ type: 'peer-closed', swarmId, peerId: 'peer-b' });
    expect(await h.methods.admitPeer({ swarmId, peerId: 'peer-b' })).toEqual({ ok: false });
    expect(channel.sent).toEqual([]);
  });

  it('a channel the page closes before admission goes quietly', async () => {
    const h = host();
    await h.methods.openShare({ secret });
    add(h, 'peer-c').close();
    expect(h.events.filter((e) => e.type === 'peer-closed')).toEqual([]);
    expect(await h.methods.admitPeer({ swarmId, peerId: 'peer-c' })).toEqual({ ok: false });
  });
});

describe('worker host: share-creation progress', () => {
  it('sends share-creation progress at most once per HASH_PROGRESS_MS of its clock', async () => {
    const h = host();
    const size = 32 * 1024 * 1024; // 256 chunks, read 4 MiB at a time
    const bytes = new Uint8Array(size).map((_, i) => (i * 2654435761) >>> 24);
    // Each read takes 100 ms of the host's clock.
    const file = {
      name: 'big.bin',
      size,
      type: '',
      slice: (a: number, b: number) => ({
        arrayBuffer: async () => {
          h.clock.advance(100);
          return bytes.slice(a, b).buffer;
        },
      }),
    };
    const seen = h.events.length;
    await h.methods.createShare({ files: [file as unknown as File] });
    const progress = h.events.slice(seen).filter((e) => e.type === 'hash-progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil((8 * 100) / HASH_PROGRESS_MS) + 2);
    expect(progress.at(-1)).toEqual({ type: 'hash-progress', done: size, total: size });
  });

  it('sends the first and the last progress event, not one per percent, when hashing takes no time on its clock', async () => {
    const h = host();
    const size = 4 * 1024 * 1024;
    const seen = h.events.length;
    await h.methods.createShare({ files: [new File([new Uint8Array(size).fill(7)], 'a.bin')] });
    const progress = h.events.slice(seen).filter((e) => e.type === 'hash-progress');
    expect(progress).toHaveLength(2);
    expect(progress[0]).toMatchObject({ total: size });
    expect((progress[0] as { done: number }).done).toBeLessThan(size);
    // The whole, though it came within HASH_PROGRESS_MS of the first: the bar ends at 100 %.
    expect(progress[1]).toEqual({ type: 'hash-progress', done: size, total: size });
  });
});
