/**
 * A stand-in for simple-peer in SwarmConnector tests (Node has no RTCPeerConnection): it records
 * what the connector sends and signals, and the test emits its events. Every instance is listed in
 * `fakePeers` in creation order. Install it with
 * `vi.mock('./simple-peer', async () => ({ SimplePeer: (await import('../testing/fake-peer')).FakePeer }))`.
 */
import type { NeighborSink, SwarmConnectorOptions, TrackerLike } from '../net/swarm-connector';
import { TEST_AUTH_KEY, fakePc } from './fake-peer-auth';

export const fakePeers: FakePeer[] = [];

/** The 'chunks' channel as relay mode uses it on the page's thread; `receive` plays the peer. */
export class FakeChannel {
  readyState = 'open';
  bufferedAmount = 0;
  binaryType = '';
  bufferedAmountLowThreshold = 0;
  private readonly handlers = new Map<string, Array<(e: unknown) => void>>();
  addEventListener(type: string, fn: (e: unknown) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), fn]);
  }
  receive(data: ArrayBuffer): void {
    for (const fn of this.handlers.get('message') ?? []) fn({ data });
  }
  send(): void {}
}

export class FakePeer {
  destroyed = false;
  readonly sent: unknown[] = [];
  readonly signals: unknown[] = [];
  readonly chunks = new FakeChannel();
  private readonly handlers = new Map<string, Array<(...a: unknown[]) => void>>();
  /** The negotiated stream id of each channel the connector created on this connection, in order. */
  readonly channelIds: number[] = [];
  /** With SDPs that carry certificate fingerprints, for the peer-auth exchange (fake-peer-auth.ts). */
  readonly _pc = {
    ...fakePc(),
    createDataChannel: (_label: string, init?: RTCDataChannelInit) => {
      this.channelIds.push(init?.id ?? -1);
      return this.chunks;
    },
  };
  constructor(readonly opts: { initiator: boolean; config?: RTCConfiguration }) {
    fakePeers.push(this);
  }
  on(event: string, fn: (...a: unknown[]) => void): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  removeAllListeners(): void {
    this.handlers.clear();
  }
  signal(payload: unknown): void {
    this.signals.push(payload);
  }
  send(data: unknown): void {
    this.sent.push(data);
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** The worker side of the connector, for tests that do not look at it. */
export const nullSink: NeighborSink = {
  canTransferChannels: true,
  addChannel() {},
  admitChannel() {},
  addRelay() {},
  relayData() {},
  relayWritten() {},
  relayClosed() {},
};

/** What every connector test starts from: no ICE servers, the null sink, the test swarm key. */
export function stubConnectorOptions(
  tracker: TrackerLike,
  extra: Partial<SwarmConnectorOptions> = {},
): SwarmConnectorOptions {
  return { tracker, iceServers: [], sink: nullSink, authKeyFor: () => TEST_AUTH_KEY, ...extra };
}
