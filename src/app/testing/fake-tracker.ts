/**
 * A tracker handle for Runtime and SwarmConnector tests: records announces, leaves and signals;
 * the test opens it with an id, offers peer lists and relays signals.
 */
import { Listeners } from '../../protocol/listeners';
import type { TrackerHandle } from '../runtime';
import type { TrackerStatus } from '../tracker-client';

export class FakeTracker implements TrackerHandle {
  status: TrackerStatus = 'connecting';
  readonly announced: string[] = [];
  readonly left: string[] = [];
  readonly sentSignals: Array<{ swarm: string; to: string; payload: unknown }> = [];
  private readonly statusListeners = new Listeners<TrackerStatus>();
  private readonly peerLists = new Listeners<{ swarm: string; peers: string[] }>();
  private readonly signals = new Listeners<{ swarm: string; from: string; payload: unknown }>();

  constructor(public peerId: string | undefined = undefined) {}

  /** The tracker (re)connected and gave this page `peerId`. */
  open(peerId: string): void {
    this.peerId = peerId;
    this.status = 'open';
    this.statusListeners.emit('open');
  }
  offerPeers(swarm: string, peers: string[]): void {
    this.peerLists.emit({ swarm, peers });
  }
  /** A WebRTC offer from `from`. */
  offerFrom(swarm: string, from: string): void {
    this.relay(swarm, from, { type: 'offer', sdp: 'x' });
  }
  /** A signal as the tracker relays it: `from` is the sender's real id. */
  relay(swarm: string, from: string, payload: unknown): void {
    this.signals.emit({ swarm, from, payload });
  }

  announce(swarm: string): void {
    this.announced.push(swarm);
  }
  leave(swarm: string): void {
    this.left.push(swarm);
  }
  signal(swarm: string, to: string, payload: unknown): void {
    this.sentSignals.push({ swarm, to, payload });
  }
  onStatus(listener: (s: TrackerStatus) => void): () => void {
    return this.statusListeners.add(listener);
  }
  onPeers(listener: (swarm: string, peers: string[]) => void): () => void {
    return this.peerLists.add((m) => listener(m.swarm, m.peers));
  }
  onSignal(listener: (swarm: string, from: string, payload: unknown) => void): () => void {
    return this.signals.add((m) => listener(m.swarm, m.from, m.payload));
  }
  onSchedule(): () => void {
    return () => undefined;
  }
  onPeerGone(): () => void {
    return () => undefined;
  }
  reconnectNow(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
