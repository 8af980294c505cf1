import { describe, expect, it } from 'vitest';
import type { ClassroomControl, ClassroomServerMessage, PeerStats } from '../../protocol/classroom';
import { packBitfield } from '../../protocol/classroom-bitfield';
import { ClassroomParticipant, PROBE_INTERVAL_MS, settingsFor, type AppliedSettings } from './participant';

const S = 'swarm-1';

function setup(role: 's' | 'p' = 'p') {
  let now = 0;
  let listener: (m: ClassroomServerMessage) => void = () => undefined;
  const sent: Array<{ type: string; swarm: string; stats?: PeerStats }> = [];
  const applied: AppliedSettings[] = [];
  const restarts: string[] = [];
  const order: string[] = [];
  let complete = false;
  let hold: Promise<void> = Promise.resolve();
  const p = new ClassroomParticipant({
    link: {
      peerId: 'me',
      send: (m) => sent.push(m),
      onClassroomMessage: (l) => ((listener = l), () => undefined),
    },
    collect: async (_swarm, ctx) => ({
      v: 1,
      role: ctx.role,
      r: ctx.round,
      m: ctx.mode,
      n: 4,
      F: 4,
      h: packBitfield(4, () => complete),
      f: [],
      up: 0,
      dn: 0,
      cu: ctx.capUp,
      cd: ctx.capDown,
      el: Math.round(ctx.elapsedMs),
      ...(ctx.doneMs !== undefined ? { dt: ctx.doneMs } : {}),
      nb: [],
      complete,
    }),
    apply: async (_s, settings) => void (applied.push(settings), order.push('apply')),
    restart: async (s) => {
      restarts.push(s);
      order.push('restart');
      await hold;
    },
    now: () => now,
  });
  p.track(S, role);
  return {
    p,
    sent,
    applied,
    restarts,
    order,
    advance: (ms: number) => (now += ms),
    finish: () => (complete = true),
    unfinish: () => (complete = false),
    holdRestart: (p: Promise<void>) => (hold = p),
    deliver: async (m: ClassroomServerMessage) => {
      listener(m);
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

const control = (over: Partial<ClassroomControl> = {}): ClassroomControl => ({
  round: 0,
  mode: 'p2p',
  sharerUp: 1000,
  peerUp: 500,
  peerDown: 0,
  perPeer: {},
  ...over,
});

describe('a peer in classroom mode', () => {
  it('probes once, then only every 15 s while the swarm is not in classroom mode', async () => {
    const t = setup();
    await t.p.tick();
    expect(t.sent).toHaveLength(1);
    await t.deliver({ type: 'classroom-error', swarm: S, code: 'not-classroom', message: '' });
    t.advance(1000);
    await t.p.tick();
    expect(t.sent).toHaveLength(1);
    t.advance(PROBE_INTERVAL_MS);
    await t.p.tick();
    expect(t.sent).toHaveLength(2);
  });

  it('once in classroom mode: applies the caps, sends stats every second, reports when it completed', async () => {
    const t = setup();
    await t.deliver({ type: 'classroom-control', swarm: S, control: control() });
    expect(t.applied).toEqual([{ mode: 'p2p', up: 500, down: 0 }]);
    for (let i = 0; i < 3; i++) {
      await t.p.tick();
      t.advance(1000);
    }
    expect(t.sent.map((m) => m.stats!.el)).toEqual([0, 1000, 2000]);
    expect(t.sent[0]!.stats!.cu).toBe(500);
    t.finish();
    await t.p.tick();
    t.advance(1000);
    await t.p.tick();
    expect(t.sent.at(-2)!.stats!.dt).toBe(3000);
    expect(t.sent.at(-1)!.stats!.dt).toBe(3000);
    expect(t.sent.at(-1)!.stats).not.toHaveProperty('complete');
  });

  it('a new round drops the chunks once and restarts the clock; the same round again does nothing', async () => {
    const t = setup();
    await t.deliver({ type: 'classroom-control', swarm: S, control: control() });
    t.advance(5000);
    await t.deliver({ type: 'classroom-control', swarm: S, control: control({ round: 1, mode: 'cs' }) });
    await t.deliver({ type: 'classroom-control', swarm: S, control: control({ round: 1, mode: 'cs', peerUp: 7 }) });
    expect(t.restarts).toEqual([S]);
    expect(t.applied.at(-1)).toEqual({ mode: 'cs', up: 7, down: 0 });
    expect(t.order).toEqual(['apply', 'restart', 'apply', 'apply']); // caps go to the restarted engine
    await t.p.tick();
    expect(t.sent.at(-1)!.stats).toMatchObject({ r: 1, m: 'cs', el: 0 });
  });

  it("sends nothing while a new round is set up, so the old round's completion never leaks into it", async () => {
    const t = setup();
    await t.deliver({ type: 'classroom-control', swarm: S, control: control() });
    t.finish(); // the old engine is complete
    t.advance(20_000);
    let release!: () => void;
    void t.holdRestart(new Promise<void>((r) => (release = r)));
    const delivering = t.deliver({ type: 'classroom-control', swarm: S, control: control({ round: 1 }) });
    await t.p.tick();
    expect(t.sent).toHaveLength(0);
    t.unfinish();
    release();
    await delivering;
    await new Promise((r) => setTimeout(r, 0));
    t.advance(1000);
    await t.p.tick();
    expect(t.sent.at(-1)!.stats).toMatchObject({ r: 1, el: 1000 });
    expect(t.sent.at(-1)!.stats!.dt).toBeUndefined();
  });

  it('when classroom mode is turned off: caps lifted, P2P again, no more stats', async () => {
    const t = setup();
    await t.deliver({ type: 'classroom-control', swarm: S, control: control({ mode: 'cs', peerUp: 9 }) });
    await t.deliver({ type: 'classroom-closed', swarm: S });
    expect(t.applied.at(-1)).toEqual({ mode: 'p2p', up: 0, down: 0 });
    expect(t.p.isActive(S)).toBe(false);
    t.advance(1000);
    await t.p.tick();
    expect(t.sent).toHaveLength(0);
  });

  it('the sharer applies u_s and never drops its chunks', async () => {
    const t = setup('s');
    await t.deliver({ type: 'classroom-control', swarm: S, control: control({ round: 3 }) });
    expect(t.applied).toEqual([{ mode: 'p2p', up: 1000, down: 0 }]);
    expect(t.restarts).toEqual([]);
  });

  it('per-peer caps override the defaults for that peer only', () => {
    const c = control({ perPeer: { me: { down: 64 } } });
    expect(settingsFor(c, 'p', 'me')).toEqual({ mode: 'p2p', up: 500, down: 64 });
    expect(settingsFor(c, 'p', 'other')).toEqual({ mode: 'p2p', up: 500, down: 0 });
  });
});
