/** A private share through the worker host: ciphertext in storage, plaintext only when saving. */
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { pseudoRandomBytes, VirtualClock } from '../engine';
import { parseLinkSecret, shareKeys } from '../protocol/share-keys';
import { createWorkerHost } from './host';
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
  it('are not started (an older version stored them) and say so; the others resume', async () => {
    const h = host();
    const old = { summary: { ...(await h.methods.openShare({ secret: 'Q'.repeat(43) })) } };
    await h.records.put({
      summary: { ...old.summary, swarmId: 'A'.repeat(43), secret: undefined as unknown as string },
    });
    const h2 = createWorkerHost(
      {
        records: h.records,
        chunkDb: createStore(`private-chunks-r`, 'chunks'),
        clock: new VirtualClock(),
        storageManager: undefined,
        wallNow: () => 1_000,
        placeholderPeerId: 'local-0',
        crash: () => undefined,
      },
      { emit: () => undefined },
    );
    const list = await h2.methods.resumeAll({});
    expect(list).toHaveLength(2);
    expect(h2.sessions.has(old.summary.swarmId)).toBe(true);
    expect(h2.sessions.has('A'.repeat(43))).toBe(false);
  });
});
