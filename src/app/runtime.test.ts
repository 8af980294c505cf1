/**
 * The runtime's own logic, with a vanilla store, a manual clock, in-memory storage, served fake
 * workers and a stub in place of simple-peer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UNDO_REMOVE_MS } from './runtime';
import { fakePeers } from './testing/fake-peer';
import { runtimeHarness, shareSummary, swarmIdOf } from './testing/runtime-harness';

// simple-peer needs RTCPeerConnection, which Node lacks: the relay-only tests read what the connector asked of the stub.
vi.mock('./net/simple-peer', async () => ({ SimplePeer: (await import('./testing/fake-peer')).FakePeer }));

const PENDING_KEY = 'swarmdrop.pendingRemovals';
const A = swarmIdOf('A');
const B = swarmIdOf('B');
let h: ReturnType<typeof runtimeHarness>;
afterEach(() => h.close());

describe('Runtime: removal and undo', () => {
  it('hides a removed share and leaves its swarm at once, deletes its chunks when the undo window ends', async () => {
    h = runtimeHarness({ shares: [shareSummary(A, 'a.txt'), shareSummary(B)] });
    await h.runtime.start();
    expect(h.tracker.announced).toEqual([A, B]);

    h.runtime.removeShare(A);
    expect(h.store.getState().removing.get(A)).toEqual({ name: 'a.txt' });
    expect(h.tracker.left).toEqual([A]);
    expect(JSON.parse(h.storage.items.get(PENDING_KEY)!)).toEqual([A]);
    h.runtime.removeShare(A); // a second click changes nothing
    expect(h.tracker.left).toEqual([A]);

    h.scheduler.advance(UNDO_REMOVE_MS - 1);
    expect(h.called('removeShare')).toEqual([]);
    h.scheduler.advance(1);
    await vi.waitFor(() => expect(h.store.getState().shares.has(A)).toBe(false));
    expect(h.called('removeShare')).toEqual([{ swarmId: A }]);
    expect(h.store.getState().removing.has(A)).toBe(false);
    expect(h.storage.items.has(PENDING_KEY)).toBe(false);
    expect(h.store.getState().shares.has(B)).toBe(true);
  });

  it('undo lists the share again, rejoins its swarm, and nothing is deleted later', async () => {
    h = runtimeHarness({ shares: [shareSummary(A)] });
    await h.runtime.start();
    h.runtime.removeShare(A);
    h.runtime.undoRemove(A);
    expect(h.store.getState().removing.has(A)).toBe(false);
    expect(h.tracker.announced).toEqual([A, A]);
    expect(h.storage.items.has(PENDING_KEY)).toBe(false);
    h.scheduler.advance(UNDO_REMOVE_MS * 2);
    await h.runtime.refreshStorage(); // one round trip to the worker: a removeShare would have gone before it
    expect(h.called('removeShare')).toEqual([]);
    expect(h.store.getState().shares.has(A)).toBe(true);
  });

  it('finishes a removal an earlier page left pending, without rejoining that swarm', async () => {
    h = runtimeHarness({ shares: [shareSummary(A), shareSummary(B)], storage: { [PENDING_KEY]: JSON.stringify([A]) } });
    await h.runtime.start();
    expect(h.tracker.announced).toEqual([B]);
    await vi.waitFor(() => expect(h.store.getState().shares.has(A)).toBe(false));
    expect(h.called('removeShare')).toEqual([{ swarmId: A }]);
    expect(h.storage.items.has(PENDING_KEY)).toBe(false);
  });

  it('flushRemovals asks the worker to delete what is still undoable (the page is being left)', async () => {
    h = runtimeHarness({ shares: [shareSummary(A)] });
    await h.runtime.start();
    h.runtime.removeShare(A);
    h.runtime.flushRemovals();
    await vi.waitFor(() => expect(h.called('removeShare')).toEqual([{ swarmId: A }]));
  });
});

describe('Runtime: worker restart', () => {
  it('replaces a crashed worker after a pause, resumes its shares and rejoins their swarms', async () => {
    h = runtimeHarness({ shares: [shareSummary(A)] });
    await h.runtime.start();
    h.workers[0]!.crash();
    await vi.waitFor(() => expect(h.store.getState().worker).toBe('restarting'));
    expect(h.store.getState().workerRestarts).toBe(1);
    expect(h.tracker.left).toEqual([A]);
    expect(h.workers).toHaveLength(1); // not before the pause
    h.scheduler.advance(500);
    await vi.waitFor(() => expect(h.workers).toHaveLength(2));
    await vi.waitFor(() => expect(h.store.getState().worker).toBe('ready'));
    expect(h.called('resumeAll')).toHaveLength(2);
    expect(h.tracker.announced).toEqual([A, A]);
  });

  it('a worker that stops answering pings is killed and replaced', async () => {
    h = runtimeHarness({ shares: [] });
    await h.runtime.start();
    h.workers[0]!.close(); // alive but deaf: pings are never answered
    h.scheduler.advance(3_000); // the heartbeat's ping
    h.scheduler.advance(7_999);
    expect(h.workers[0]!.terminated).toBe(false);
    h.scheduler.advance(1); // its 8 s timeout
    await vi.waitFor(() => expect(h.workers[0]!.terminated).toBe(true));
    await vi.waitFor(() => expect(h.store.getState().worker).toBe('restarting'));
  });

  it('gives up after five restarts', async () => {
    h = runtimeHarness({ shares: [] });
    await h.runtime.start();
    for (let i = 0; i < 5; i++) {
      h.workers[i]!.crash();
      await vi.waitFor(() => expect(h.store.getState().worker).toBe('restarting'));
      h.scheduler.advance(500);
      await vi.waitFor(() => expect(h.store.getState().worker).toBe('ready'));
    }
    h.workers[5]!.crash();
    await vi.waitFor(() => expect(h.store.getState().worker).toBe('failed'));
    h.scheduler.advance(500);
    expect(h.workers).toHaveLength(6);
  });
});

describe('Runtime: peer id changes', () => {
  it('gives the worker each new tracker id once, and a restarted worker the current one', async () => {
    h = runtimeHarness({ shares: [] });
    const started = h.runtime.start();
    h.tracker.open('peer-1');
    await started;
    h.tracker.open('peer-1'); // the same id again: nothing to tell
    h.tracker.open('peer-2');
    await vi.waitFor(() => expect(h.called('setPeerId')).toEqual([{ peerId: 'peer-1' }, { peerId: 'peer-2' }]));

    h.workers[0]!.crash();
    await vi.waitFor(() => expect(h.store.getState().worker).toBe('restarting'));
    h.scheduler.advance(500);
    await vi.waitFor(() => expect(h.store.getState().worker).toBe('ready'));
    expect(h.called('setPeerId')).toEqual([{ peerId: 'peer-1' }, { peerId: 'peer-2' }, { peerId: 'peer-2' }]);
  });

  it('mirrors the tracker status into the store', async () => {
    h = runtimeHarness({ shares: [] });
    expect(h.store.getState().tracker).toBe('connecting');
    h.tracker.open('peer-1');
    expect(h.store.getState().tracker).toBe('open');
  });
});

describe('Runtime: relay only', () => {
  const KEY = 'swarmdrop.relayOnly';
  const policies = () => fakePeers.map((p) => p.opts.config?.iceTransportPolicy);

  it('starts from the setting the last page stored', () => {
    h = runtimeHarness({ storage: { [KEY]: '1' } });
    expect(h.store.getState().relayOnly).toBe(true);
    h.close();
    h = runtimeHarness();
    expect(h.store.getState().relayOnly).toBe(false);
  });

  it('stores a change for the next page and applies it to connections made after it', async () => {
    fakePeers.length = 0;
    h = runtimeHarness({ shares: [shareSummary(A)] });
    h.tracker.open('me');
    await h.runtime.start();
    h.runtime.setRelayOnly(true);
    expect(h.store.getState().relayOnly).toBe(true);
    expect(h.storage.items.get(KEY)).toBe('1');
    h.tracker.offerPeers(A, ['a']);
    await vi.waitFor(() => expect(policies()).toEqual(['relay']));

    h.runtime.setRelayOnly(false);
    expect(h.storage.items.has(KEY)).toBe(false);
    h.tracker.offerPeers(A, ['b']);
    await vi.waitFor(() => expect(policies()).toEqual(['relay', undefined]));
  });
});
