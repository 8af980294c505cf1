/** A tracker handle for Runtime tests: records announces and leaves; the test opens it with an id. */
import { Listeners } from '../../protocol/listeners';
import type { TrackerHandle } from '../runtime';
import type { TrackerStatus } from '../tracker-client';

export class FakeTracker implements TrackerHandle {
  peerId: string | undefined;
  status: TrackerStatus = 'connecting';
  readonly announced: string[] = [];
  readonly left: string[] = [];
  private readonly statusListeners = new Listeners<TrackerStatus>();

  /** The tracker (re)connected and gave this page `peerId`. */
  open(peerId: string): void {
    this.peerId = peerId;
    this.status = 'open';
    this.statusListeners.emit('open');
  }

  announce(swarm: string): void {
    this.announced.push(swarm);
  }
  leave(swarm: string): void {
    this.left.push(swarm);
  }
  signal(): void {}
  onStatus(listener: (s: TrackerStatus) => void): () => void {
    return this.statusListeners.add(listener);
  }
  onSchedule(): () => void {
    return () => undefined;
  }
  onPeers(): () => void {
    return () => undefined;
  }
  onSignal(): () => void {
    return () => undefined;
  }
  onPeerGone(): () => void {
    return () => undefined;
  }
  reconnectNow(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
