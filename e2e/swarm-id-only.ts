/**
 * A client that knows only a swarm id (what the tracker, its logs or a TURN relay could learn):
 * it speaks the tracker protocol itself, announces, calls every peer it is given over real WebRTC
 * the way the app's connector does (simple-peer's channel plus the pre-negotiated 'chunks'
 * channel, id 1000), and records every byte that arrives on either channel.
 * `wrong-key` runs the peer-auth exchange with a key it made up (and pushes bytes on 'chunks' as an
 * engine would); `silent` sends nothing. Runs in a page of the app's origin (page.evaluate).
 */
import type { Page } from '@playwright/test';

export interface Received {
  channel: 'simple-peer' | 'chunks';
  bytes: number;
  first: number;
}

export interface PeerOutcome {
  peerId: string;
  /** The DTLS/SCTP handshake completed: simple-peer's channel opened. */
  opened: boolean;
  received: Received[];
  /** The far end closed simple-peer's channel (or the connection) within the wait. */
  closed: boolean;
}

export type SwarmIdOnlyMode = 'wrong-key' | 'silent';

/**
 * Runs the client in `page` (already on the app's origin); resolves once every called peer closed
 * or `waitMs` passed. `stay`: keep the tracker connection (still in the swarm) afterwards.
 */
export function swarmIdOnlyClient(page: Page, swarm: string, mode: SwarmIdOnlyMode, waitMs: number, stay = false) {
  return page.evaluate(
    async ({ swarm, mode, waitMs, stay }) => {
      const ws = new WebSocket(`ws://${location.host}/tracker`);
      const inbox: Array<Record<string, unknown>> = [];
      const handlers = new Set<(m: Record<string, unknown>) => void>();
      ws.onmessage = (e) => {
        const m = JSON.parse(String(e.data)) as Record<string, unknown>;
        inbox.push(m);
        for (const h of handlers) h(m);
      };
      const next = (match: (m: Record<string, unknown>) => boolean) =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const found = inbox.find(match);
          if (found) return resolve(found);
          const timer = setTimeout(() => reject(new Error('no tracker answer')), 15_000);
          handlers.add((m) => match(m) && (clearTimeout(timer), resolve(m)));
        });
      await new Promise((r) => (ws.onopen = r));
      ws.send(JSON.stringify({ type: 'hello', version: 1 }));
      await next((m) => m.type === 'welcome');
      ws.send(JSON.stringify({ type: 'announce', swarm }));
      const { peers } = (await next((m) => m.type === 'peers' && m.swarm === swarm)) as unknown as {
        peers: string[];
      };
      const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

      const call = async (to: string) => {
        const outcome = { peerId: to, opened: false, received: [] as Received[], closed: false };
        const pc = new RTCPeerConnection();
        const signal = (payload: unknown) => ws.send(JSON.stringify({ type: 'signal', swarm, to, payload }));
        // As simple-peer does: an in-band channel with a random label, and the negotiated 'chunks'.
        const control = pc.createDataChannel(`c${Math.random().toString(36).slice(2)}`);
        const chunks = pc.createDataChannel('chunks', { negotiated: true, id: 1000 });
        for (const [name, ch] of [
          ['simple-peer', control],
          ['chunks', chunks],
        ] as const) {
          ch.binaryType = 'arraybuffer';
          ch.onmessage = (e) => {
            const bytes =
              e.data instanceof ArrayBuffer ? new Uint8Array(e.data) : new TextEncoder().encode(String(e.data));
            outcome.received.push({ channel: name, bytes: bytes.byteLength, first: bytes[0] ?? -1 });
            // A made-up proof for the other side's hello: 0xA2 and 32 bytes no key produced.
            if (mode === 'wrong-key' && name === 'simple-peer' && bytes[0] === 0xa1)
              control.send(Uint8Array.of(0xa2, ...random(32)));
          };
        }
        control.onopen = () => {
          outcome.opened = true;
          if (mode === 'wrong-key') control.send(Uint8Array.of(0xa1, 1, ...random(32)));
        };
        chunks.onopen = () => {
          if (mode === 'wrong-key') chunks.send(random(68)); // what an engine's handshake would be
        };
        const closed = new Promise<void>((resolve) => {
          control.onclose = () => resolve();
          pc.onconnectionstatechange = () =>
            (pc.connectionState === 'closed' || pc.connectionState === 'failed') && resolve();
        });
        pc.onicecandidate = (e) => e.candidate && signal({ type: 'candidate', candidate: e.candidate.toJSON() });
        const pending: RTCIceCandidateInit[] = [];
        handlers.add((m) => {
          if (m.type !== 'signal' || m.from !== to) return;
          const p = m.payload as { type?: string; sdp?: string; candidate?: RTCIceCandidateInit };
          if (p.type === 'answer') {
            void pc
              .setRemoteDescription({ type: 'answer', sdp: p.sdp! })
              .then(() => Promise.all(pending.splice(0).map((c) => pc.addIceCandidate(c))));
          } else if (p.candidate) {
            if (pc.remoteDescription) void pc.addIceCandidate(p.candidate);
            else pending.push(p.candidate);
          }
        });
        await pc.setLocalDescription(await pc.createOffer());
        signal({ type: 'offer', sdp: pc.localDescription!.sdp });
        outcome.closed = await Promise.race([
          closed.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), waitMs)),
        ]);
        pc.close();
        return outcome;
      };
      const outcomes = await Promise.all(peers.map(call));
      if (!stay) ws.close();
      return outcomes;
    },
    { swarm, mode, waitMs, stay },
  );
}

/** The swarm id a page announces, read from its tracker frames (listen before its first navigation). */
export function announcedSwarm(page: Page): () => string | undefined {
  let swarm: string | undefined;
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      try {
        const m = JSON.parse(String(payload)) as { type?: string; swarm?: string };
        if (m.type === 'announce' && m.swarm) swarm ??= m.swarm;
      } catch {
        // not JSON: not a tracker message
      }
    }),
  );
  return () => swarm;
}
