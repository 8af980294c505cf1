/**
 * When the uplink queue cap holds neighbors back, what wakes the uplink: a link that reports its
 * next bytes leaving (`onceBelow`) wakes it at that instant, a link that cannot is polled, and a
 * neighbor leaving frees the bytes it held.
 */
import { describe, expect, it } from 'vitest';
import { decodeWireMessage, encodeWireMessage } from '../protocol/wire';
import type { WireMessage } from '../protocol/wire-messages';
import { Listeners } from './listeners';
import { TransportEvents } from './transport-events';
import type { Transport } from './types';
import { handshakeFor, scriptedEngine } from './testing/scripted-peer';
import { yieldToHost } from './testing/test-swarm';

const KiB = 1024;

/** A data channel whose pieces leave only when the test says so; other messages leave at once. */
class SlowChannel extends TransportEvents implements Transport {
  private readonly queue: Uint8Array[] = [];
  protected readonly messages = new Listeners<Uint8Array>();
  piecesSent = 0;
  /** How often the engine looked at bufferedAmount (each wake-up of a capped uplink does). */
  reads = 0;

  get bufferedAmount(): number {
    this.reads++;
    return this.queueBytes();
  }
  protected queueBytes(): number {
    return this.queue.reduce((n, m) => n + m.length, 0);
  }
  get piecesQueued(): number {
    return this.queue.length;
  }

  send(bytes: Uint8Array): void {
    const r = decodeWireMessage(bytes);
    if (r.ok && r.message.type === 'piece') {
      this.queue.push(bytes);
      this.piecesSent++;
    }
  }

  /** The oldest queued piece leaves the channel. */
  leaveOne(): void {
    this.queue.shift();
    this.left();
  }
  protected left(): void {}

  /** The neighbor sends `message` to the engine. */
  receive(message: WireMessage): void {
    this.messages.emit(encodeWireMessage(message));
  }

  close(): void {
    this.queue.length = 0;
    this.closes.emit();
  }
}

/** The same channel, reporting when its buffered amount next falls to a threshold. */
class ReportingChannel extends SlowChannel {
  private below: { bytes: number; listener: () => void } | undefined;
  onceBelow(bytes: number, listener: () => void): void {
    this.below = { bytes, listener };
  }
  protected override left(): void {
    const below = this.below;
    if (below && this.queueBytes() <= below.bytes) {
      this.below = undefined;
      below.listener();
    }
  }
}

/** A seeder of 8 chunks of 16 KiB whose uplink queue holds two pieces, with a and b asking for 4 chunks each. */
async function cappedSeeder(reports: boolean) {
  const setup = await scriptedEngine({
    config: { superSeeding: false, starterSlots: 0, uplinkQueueBytes: 40 * KiB },
  });
  const channels = ['a', 'b'].map((id) => {
    const c: SlowChannel = reports ? new ReportingChannel() : new SlowChannel();
    setup.engine.addPeer(id, c);
    c.receive(handshakeFor(setup.share.infoHash, id));
    c.receive({ type: 'interested' });
    return c;
  }) as [SlowChannel, SlowChannel];
  await yieldToHost();
  channels.forEach((c, i) => {
    for (let k = 0; k < 4; k++) c.receive({ type: 'request', index: 4 * i + k, offset: 0, length: 16 * KiB });
  });
  await yieldToHost();
  const queued = () => channels[0].piecesQueued + channels[1].piecesQueued;
  expect(queued()).toBe(2); // a third piece would put 48 KiB on the links
  return { ...setup, channels, queued };
}

describe('the uplink queue cap', () => {
  it('sends the next piece the instant a piece leaves a link that reports it, and never polls', async () => {
    const { clock, channels, queued } = await cappedSeeder(true);
    const [a] = channels;
    const t0 = clock.now();
    a.leaveOne();
    await yieldToHost();
    expect(clock.now()).toBe(t0);
    expect(queued()).toBe(2);
    a.reads = 0;
    clock.advance(1000);
    await yieldToHost();
    expect(a.reads).toBe(0); // nothing left the links: nothing woke the uplink
    expect(a.piecesSent + channels[1].piecesSent).toBe(3);
  });

  it('polls a link that cannot report its bytes leaving', async () => {
    const { clock, channels, queued } = await cappedSeeder(false);
    channels[0].leaveOne();
    await yieldToHost();
    expect(queued()).toBe(1);
    clock.advance(200); // the longest wait between polls
    await yieldToHost();
    expect(queued()).toBe(2);
  });

  it('wakes when a neighbor holding queued bytes leaves', async () => {
    const { clock, channels } = await cappedSeeder(true);
    const [a, b] = channels;
    expect(a.piecesQueued).toBe(1);
    expect(b.piecesQueued).toBe(1);
    b.close();
    clock.advance(0);
    await yieldToHost();
    expect(a.piecesQueued).toBe(2);
  });
});
