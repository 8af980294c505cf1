/**
 * A ShareSession downloading a link (fake IndexedDB, virtual clock) and one engine seeder 'S' in a
 * TestSwarm; `connect()` links them as the page would, a new transport pair each time.
 */
import 'fake-indexeddb/auto';
import { createStore, type UseStore } from 'idb-keyval';
import { createTransportPair, pseudoRandomBytes, makeShare, TestSwarm, type HeldEnd } from '../../engine/testing/index';
import { formatLinkSecret, makeLinkSecret } from '../../protocol/share-keys';
import { shareCrypto } from '../private-share';
import type { WorkerEvent } from '../protocol';
import { ShareSession } from '../session';
import { ShareRecords, newDownloadRecord } from '../share-records';

const KiB = 1024;
let db = 0;

/** `wrapChunkDb`: puts a test's hand between the session and its chunk database (held or failing writes). */
export async function seederAndSession(
  remote: { tamper?: boolean } = {},
  wrapChunkDb: (db: UseStore) => UseStore = (db) => db,
) {
  const content = pseudoRandomBytes(256 * KiB, 7);
  const share = await makeShare(content, 32 * KiB);
  const swarm = new TestSwarm({ seed: 5 });
  // A private share whose chunks are `content` as stored (ciphertext: the session never decrypts
  // to transfer).
  const secret = formatLinkSecret(makeLinkSecret(new Uint8Array(16).fill(3), share.infoHash));
  const crypto = shareCrypto(secret, swarm.hasher, true); // the JS cipher: settles within the virtual clock's flush
  const seeder = await swarm.addPeer('S', share, {
    seeder: true,
    content,
    tamper: remote.tamper === true,
    sealed: { swarmId: crypto.keys.swarmIdBytes, seal: crypto.seal },
  });
  const events: WorkerEvent[] = [];
  const swarmId = crypto.keys.swarmId;
  const n = db++;
  const chunkDb = createStore(`chunks-${n}`, 'chunks');
  const session = await ShareSession.start(newDownloadRecord(swarmId, secret, 0), crypto, {
    records: new ShareRecords(createStore(`records-${n}`, 'shares')),
    chunkDb: wrapChunkDb(chunkDb),
    hasher: swarm.hasher,
    clock: swarm.clock,
    localPeerId: 'D',
    flags: {},
    emit: (e) => events.push(e),
  });
  const connect = () => {
    const [toSession, toSeeder] = createTransportPair();
    seeder.addPeer('D', toSession);
    session.addPeer('S', toSeeder);
    swarm.links.push({ a: 'S', b: 'D', ends: [toSession, toSeeder] as [HeldEnd<unknown>, HeldEnd<unknown>] });
    return { toSession, toSeeder };
  };
  return { swarm, session, seeder, share, events, swarmId, chunkDb, connect };
}
