/**
 * A download's chunks are announced as soon as they are verified, before their IndexedDB write
 * lands; a write that keeps failing is reported and stops the download, and only written chunks
 * count after a reload.
 */
import type { UseStore } from 'idb-keyval';
import { describe, expect, it, vi } from 'vitest';
import { IdbChunkStore } from './idb-chunk-store';
import { seederAndSession } from './testing/seeder-and-session';

/** A chunk database whose write transactions wait for `release()` (reads pass at once). */
function heldWrites() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const wrap =
    (db: UseStore): UseStore =>
    (mode, callback) =>
      mode === 'readwrite' ? gate.then(() => db(mode, callback)) : db(mode, callback);
  return { wrap, release };
}

describe('ShareSession: announce before the write', () => {
  it('tells the seeder it has every chunk while no write has landed; records the share complete only once they have', async () => {
    const held = heldWrites();
    const { swarm, session, seeder, share, events, swarmId, chunkDb, connect } = await seederAndSession({}, held.wrap);
    connect();
    const chunkCount = share.metadata.chunkCount;
    const seederSeesAll = () => seeder.snapshot().neighbors.find((n) => n.peerId === 'D')?.haveCount === chunkCount;
    expect(await swarm.runUntil(seederSeesAll)).toBe(true);
    // Every HAVE went out, yet IndexedDB holds nothing: a reload now would claim no chunk.
    expect(await new IdbChunkStore(swarmId, chunkDb).list()).toEqual([]);
    expect(session.share.complete).toBe(false);

    held.release();
    await vi.waitFor(() => expect(session.share.complete).toBe(true));
    expect(await new IdbChunkStore(swarmId, chunkDb).list()).toHaveLength(chunkCount);
    expect(events.some((e) => e.type === 'share-error')).toBe(false);
    swarm.destroy();
  });

  it('a write that keeps failing: a clear storage error, the download stops, nothing claimed after a reload', async () => {
    const failing =
      (db: UseStore): UseStore =>
      (mode, callback) =>
        mode === 'readwrite' ? Promise.reject(new DOMException('disk I/O error', 'UnknownError')) : db(mode, callback);
    const { swarm, session, events, swarmId, chunkDb, connect } = await seederAndSession({}, failing);
    const { toSeeder } = connect();
    const errors = () => events.filter((e) => e.type === 'share-error');
    await swarm.flush();
    await vi.waitFor(async () => {
      await swarm.flush();
      expect(errors()).toHaveLength(1);
    });
    expect(errors()[0]).toMatchObject({
      swarmId,
      code: 'storage-failed',
      message: expect.stringMatching(/^chunks [\d, ]+ could not be stored: disk I\/O error; the download stopped/),
    });
    await swarm.flush();
    expect(toSeeder.isClosed).toBe(true); // the engine stopped: peers are no longer served or asked
    expect(session.share.complete).toBe(false);
    expect(await new IdbChunkStore(swarmId, chunkDb).list()).toEqual([]);
    swarm.destroy();
  });
});
