/** A private share through the worker host: ciphertext in storage, plaintext only when saving. */
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { pseudoRandomBytes, VirtualClock } from '../engine';
import { parseLinkSecret, shareKeys } from '../protocol/share-keys';
import { createWorkerHost } from './host';
import { IdbChunkStore } from './idb-chunk-store';
import { ShareRecords } from './share-records';
import type { ShareSummary } from './protocol';

let db = 0;
function host() {
  const n = db++;
  let onCopied: (s: ShareSummary) => void = () => undefined;
  const copied = new Promise<ShareSummary>((r) => (onCopied = r));
  const records = new ShareRecords(createStore(`private-records-${n}`, 'shares'));
  const h = createWorkerHost(
    {
      records,
      chunkDb: createStore(`private-chunks-${n}`, 'chunks'),
      clock: new VirtualClock(),
      storageManager: undefined,
      wallNow: () => 1_000,
      placeholderPeerId: 'local-0',
      crash: () => undefined,
    },
    { emit: (e) => e.type === 'share' && e.share.copy?.state === 'copied' && onCopied(e.share) },
  );
  return { ...h, records, copied };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each([false, true])('a private share (JS cipher: %s)', (noSubtle) => {
  it('stores ciphertext, derives its swarm id from the link, and saves the plaintext', async () => {
    const h = host();
    await h.methods.init({ version: 3, testFlags: { noSubtle } });
    const content = pseudoRandomBytes(600_000, 11);
    const share = await h.methods.createShare({ files: [new File([content as Uint8Array<ArrayBuffer>], 'notes.bin')] });
    expect(share.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(share.swarmId).toBe(shareKeys(parseLinkSecret(share.secret)).swarmId);
    const done = await h.copied;
    expect(done.sha256).toEqual([sha(content)]);
    const session = h.sessions.get(share.swarmId)!;
    const stored = (await session.store.idb.get(0))!;
    expect(stored.length).toBe(share.chunkSize);
    expect(Buffer.from(stored).equals(Buffer.from(content.subarray(0, share.chunkSize)))).toBe(false);
    const saved = new Uint8Array(
      await (await h.methods.fileBlob({ swarmId: share.swarmId, fileIndex: 0 })).arrayBuffer(),
    );
    expect(sha(saved)).toBe(sha(content));
    expect(new Uint8Array(await h.methods.readChunk({ swarmId: share.swarmId, index: 1 }))).toEqual(
      content.subarray(share.chunkSize, 2 * share.chunkSize),
    );
    // The record keeps the secret: a reload resumes it.
    expect((await h.records.get(share.swarmId))!.summary.secret).toBe(share.secret);
  });
});

describe('records without a link secret', () => {
  it('are listed as outdated, not started and without an error; the others resume; removing one frees its chunks', async () => {
    const h = host();
    const current = await h.methods.openShare({ secret: 'Q'.repeat(43) });
    // What a version before private links stored: the info hash as swarm id, no secret, chunks in plain.
    const oldId = 'A'.repeat(43);
    await h.records.put({
      summary: { ...current, swarmId: oldId, secret: undefined as unknown as string, role: 'seed', complete: true },
    });
    const chunkDb = createStore('private-chunks-r', 'chunks');
    const oldChunks = new IdbChunkStore(oldId, chunkDb);
    await oldChunks.put(0, new Uint8Array(1000).fill(1));
    await oldChunks.put(1, new Uint8Array(1000).fill(2));
    await oldChunks.flush();
    const otherChunks = new IdbChunkStore('B'.repeat(43), chunkDb);
    await otherChunks.put(0, new Uint8Array(10));
    await otherChunks.flush();
    const events: string[] = [];
    const h2 = createWorkerHost(
      {
        records: h.records,
        chunkDb,
        clock: new VirtualClock(),
        storageManager: undefined,
        wallNow: () => 1_000,
        placeholderPeerId: 'local-0',
        crash: () => undefined,
      },
      { emit: (e) => events.push(e.type) },
    );
    const list = await h2.methods.resumeAll({});
    expect(list).toHaveLength(2);
    expect(h2.sessions.has(current.swarmId)).toBe(true);
    expect(h2.sessions.has(oldId)).toBe(false);
    const old = list.find((s) => s.swarmId === oldId)!;
    expect(old.outdated).toBe(true);
    expect(old.secret).toBe('');
    expect(list.find((s) => s.swarmId === current.swarmId)!.outdated).toBeUndefined();
    expect(events).not.toContain('share-error');

    await h2.methods.removeShare({ swarmId: oldId });
    expect(await h.records.get(oldId)).toBeUndefined();
    expect(await oldChunks.list()).toEqual([]);
    expect(await otherChunks.list()).toEqual([0]); // another share's chunks stay
    expect((await h2.methods.resumeAll({})).map((s) => s.swarmId)).toEqual([current.swarmId]);
  });
});
