import { describe, expect, it } from 'vitest';
import {
  CLASSROOM_DEFECT_AFTER_MS,
  type ClassroomControl,
  type ClassroomServerMessage,
  type PeerStats,
} from '../../protocol/classroom';
import { packBitfield } from '../../protocol/classroom-bitfield';
import { classroomKeyOf, newClassroomSecret, signControl } from '../../protocol/classroom-signing';
import {
  ClassroomParticipant,
  JOIN_RETRY_MS,
  PROBE_INTERVAL_MS,
  settingsFor,
  type AppliedSettings,
} from './participant';

const S = 'swarm-1';
const KiB = 1024;
const SECRET = newClassroomSecret();
const KEY = classroomKeyOf(SECRET);
let seq = 0;
/** A control as the tracker relays it: signed by the teacher's secret key. */
const signed = (c: ClassroomControl & { closed?: true }, secret = SECRET): ClassroomServerMessage => ({
  type: 'classroom-control',
  swarm: S,
  key: KEY,
  ...signControl(secret, S, { ...c, seq: ++seq }),
});

function setup(role: 's' | 'p' = 'p') {
  let now = 0;
  let listener: (m: ClassroomServerMessage) => void = () => undefined;
  const sent: Array<{ type: string; swarm: string; stats?: PeerStats }> = [];
  const applied: AppliedSettings[] = [];
  const restarts: string[] = [];
  const order: string[] = [];
  let complete = false;
  let completedAt: number | undefined;
  const changes: string[] = [];
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
      ...(completedAt !== undefined && { completedAt }),
    }),
    apply: async (_s, settings) => void (applied.push(settings), order.push('apply')),
    restart: async (s, settings) => {
      restarts.push(s);
      if (settings) applied.push(settings);
      order.push('restart');
      await hold;
    },
    now: () => now,
    changed: (swarm) => changes.push(swarm),
  });
  p.track(S, role, KEY);
  return {
    p,
    sent,
    applied,
    restarts,
    order,
    advance: (ms: number) => (now += ms),
    changes,
    finish: (at?: number) => ((complete = true), (completedAt = at)),
    unfinish: () => ((complete = false), (completedAt = undefined)),
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
  sharerUp: 1000 * KiB,
  peerUp: 500 * KiB,
  peerDown: 0,
  perPeer: {},
  ...over,
});

describe('a peer in classroom mode', () => {
  it('asks to join once, then only every 15 s while the room does not exist', async () => {
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

  it('asks to join again after 2 s when the tracker had not seen its announce yet', async () => {
    const t = setup();
    await t.p.tick();
    await t.deliver({ type: 'classroom-error', swarm: S, code: 'not-member', message: '' });
    t.advance(JOIN_RETRY_MS - 1);
    await t.p.tick();
    expect(t.sent).toHaveLength(1);
    t.advance(1);
    await t.p.tick();
    expect(t.sent.map((m) => m.type)).toEqual(['classroom-join', 'classroom-join']);
  });

  it('once in classroom mode: applies the caps, sends stats every second, reports when it completed', async () => {
    const t = setup();
    await t.deliver(signed(control()));
    expect(t.applied).toEqual([
      { mode: 'p2p', up: 500 * KiB, down: 0, freeRide: false, defectAfterMs: CLASSROOM_DEFECT_AFTER_MS },
    ]);
    for (let i = 0; i < 3; i++) {
      await t.p.tick();
      t.advance(1000);
    }
    expect(t.sent.map((m) => m.stats!.el)).toEqual([0, 1000, 2000]);
    expect(t.sent[0]!.stats!.cu).toBe(500 * KiB);
    t.finish();
    await t.p.tick();
    t.advance(1000);
    await t.p.tick();
    expect(t.sent.at(-2)!.stats!.dt).toBe(3000);
    expect(t.sent.at(-1)!.stats!.dt).toBe(3000);
    expect(t.sent.at(-1)!.stats).not.toHaveProperty('complete');
  });

  it("reports the engine's completion time, not the tick that saw it; never outside the round", async () => {
    for (const [at, dt] of [
      [2400, 2400], // the engine's moment
      [-1, 3000], // before this round started here: the tick's time
      [9999, 3000], // after now: the tick's time
      [undefined, 3000], // not known: the tick's time
    ] as const) {
      const t = setup();
      await t.deliver(signed(control()));
      t.advance(3000);
      t.finish(at);
      await t.p.tick();
      expect(t.sent.at(-1)!.stats!.dt).toBe(dt);
    }
  });

  it('tells the page at once when it joins a class and when a new round is offered', async () => {
    const t = setup();
    await t.deliver(signed(control()));
    expect(t.changes).toEqual([S]);
    t.finish();
    await t.deliver(signed(control({ round: 1 })));
    expect(t.p.offeredRound(S)).toBe(1);
    expect(t.changes).toEqual([S, S]);
  });

  it('a new round drops the chunks once and restarts the clock; the same round again does nothing', async () => {
    const t = setup();
    await t.deliver(signed(control()));
    t.advance(5000);
    await t.deliver(signed(control({ round: 1, mode: 'cs' })));
    await t.deliver(signed(control({ round: 1, mode: 'cs', peerUp: 70 * KiB })));
    expect(t.restarts).toEqual([S]);
    expect(t.applied.at(-1)).toEqual({
      mode: 'cs',
      up: 70 * KiB,
      down: 0,
      freeRide: false,
      defectAfterMs: CLASSROOM_DEFECT_AFTER_MS,
    });
    // The restarted engine gets the round's caps as it is made (no uncapped moment), then the new ones.
    expect(t.order).toEqual(['apply', 'apply', 'restart', 'apply']);
    expect(t.applied).toEqual([
      { mode: 'p2p', up: 500 * KiB, down: 0, freeRide: false, defectAfterMs: CLASSROOM_DEFECT_AFTER_MS },
      { mode: 'cs', up: 500 * KiB, down: 0, freeRide: true, defectAfterMs: CLASSROOM_DEFECT_AFTER_MS }, // the old engine, out of the new round
      { mode: 'cs', up: 500 * KiB, down: 0, freeRide: false, defectAfterMs: CLASSROOM_DEFECT_AFTER_MS },
      { mode: 'cs', up: 70 * KiB, down: 0, freeRide: false, defectAfterMs: CLASSROOM_DEFECT_AFTER_MS },
    ]);
    await t.p.tick();
    expect(t.sent.at(-1)!.stats).toMatchObject({ r: 1, m: 'cs', el: 0 });
  });

  it('caps changed while the new engine is being made reach the new engine', async () => {
    const t = setup();
    await t.deliver(signed(control()));
    let release!: () => void;
    void t.holdRestart(new Promise<void>((r) => (release = r)));
    const restarting = t.deliver(signed(control({ round: 1 })));
    await new Promise((r) => setTimeout(r, 0));
    await t.deliver(signed(control({ round: 1, peerUp: 64 * KiB })));
    release();
    await restarting;
    await new Promise((r) => setTimeout(r, 0));
    expect(t.applied.at(-1)).toEqual({
      mode: 'p2p',
      up: 64 * KiB,
      down: 0,
      freeRide: false,
      defectAfterMs: CLASSROOM_DEFECT_AFTER_MS,
    });
    // Applied to the old engine as it came, and again to the new one once it runs.
    expect(t.order).toEqual(['apply', 'apply', 'restart', 'apply', 'apply']);
  });

  it('a complete peer asked about a new round uploads nothing until it is in it (it would add upload the bound does not count)', async () => {
    const t = setup();
    await t.deliver(signed(control()));
    t.finish();
    await t.deliver(signed(control({ round: 1 })));
    expect(t.p.offeredRound(S)).toBe(1);
    expect(t.applied.at(-1)).toEqual({
      mode: 'p2p',
      up: 500 * KiB,
      down: 0,
      freeRide: true,
      defectAfterMs: CLASSROOM_DEFECT_AFTER_MS,
    });
    await t.p.answerRound(S, false); // "Keep my file": it stays out of the round
    await t.deliver(signed(control({ round: 1, peerUp: 64 * KiB })));
    expect(t.applied.at(-1)).toEqual({
      mode: 'p2p',
      up: 64 * KiB,
      down: 0,
      freeRide: true,
      defectAfterMs: CLASSROOM_DEFECT_AFTER_MS,
    });
    await t.deliver(signed(control({ round: 2 })));
    await t.p.answerRound(S, true); // in round 2: the new engine uploads again
    expect(t.restarts).toEqual([S]);
    expect(t.applied.at(-1)).toEqual({
      mode: 'p2p',
      up: 500 * KiB,
      down: 0,
      freeRide: false,
      defectAfterMs: CLASSROOM_DEFECT_AFTER_MS,
    });
    await t.deliver(signed({ ...control({ round: 2 }), closed: true }));
    expect(t.applied.at(-1)).toEqual({ mode: 'p2p', up: 0, down: 0 });
  });

  it("sends nothing while a new round is set up, so the old round's completion never leaks into it", async () => {
    const t = setup();
    await t.deliver(signed(control()));
    t.finish(); // the old engine is complete
    t.advance(20_000);
    await t.deliver(signed(control({ round: 1 })));
    expect(t.p.offeredRound(S)).toBe(1);
    let release!: () => void;
    void t.holdRestart(new Promise<void>((r) => (release = r)));
    const answering = t.p.answerRound(S, true);
    await t.p.tick();
    expect(t.sent.filter((m) => m.type === 'classroom-stats')).toHaveLength(0);
    t.unfinish();
    release();
    await answering;
    t.advance(1000);
    await t.p.tick();
    expect(t.sent.at(-1)!.stats).toMatchObject({ r: 1, el: 1000 });
    expect(t.sent.at(-1)!.stats!.dt).toBeUndefined();
  });

  it('a new round never drops a complete download unless the user says so', async () => {
    const t = setup();
    await t.deliver(signed(control()));
    t.finish();
    await t.deliver(signed(control({ round: 1, mode: 'cs' })));
    expect(t.restarts).toEqual([]);
    expect(t.p.offeredRound(S)).toBe(1);
    expect(t.applied.at(-1)).toMatchObject({ mode: 'cs' }); // caps and mode still apply
    await t.p.answerRound(S, false); // "keep my file"
    expect(t.restarts).toEqual([]);
    expect(t.p.offeredRound(S)).toBeUndefined();
    await t.deliver(signed(control({ round: 2 })));
    await t.p.answerRound(S, true);
    expect(t.restarts).toEqual([S]);
  });

  it('ignores controls not signed with the key of its link, replayed or older ones, and a forged close', async () => {
    const t = setup();
    const first = signed(control({ peerUp: 64 * KiB }));
    await t.deliver(first);
    expect(t.applied).toHaveLength(1);
    const other = newClassroomSecret();
    // Signed by someone else (a student's own room), or with the teacher's key but a tampered body.
    await t.deliver(signed(control({ round: 7, peerUp: 16 * KiB }), other));
    const genuine = signed(control({ round: 7 })) as { body: string };
    await t.deliver({ ...genuine, body: genuine.body.replace('"round":7', '"round":8') } as ClassroomServerMessage);
    await t.deliver(signed({ ...control(), closed: true }, other));
    // The first control again (a replay) after a newer one.
    await t.deliver(signed(control({ peerUp: 128 * KiB })));
    await t.deliver(first);
    expect(t.restarts).toEqual([]);
    expect(t.applied).toEqual([
      { mode: 'p2p', up: 64 * KiB, down: 0, freeRide: false, defectAfterMs: CLASSROOM_DEFECT_AFTER_MS },
      { mode: 'p2p', up: 128 * KiB, down: 0, freeRide: false, defectAfterMs: CLASSROOM_DEFECT_AFTER_MS },
    ]);
    expect(t.p.isActive(S)).toBe(true);
  });

  it('when classroom mode is turned off: caps lifted, P2P again, no more stats', async () => {
    const t = setup();
    await t.deliver(signed(control({ mode: 'cs', peerUp: 90 * KiB })));
    await t.deliver(signed({ ...control(), closed: true }));
    expect(t.applied.at(-1)).toEqual({ mode: 'p2p', up: 0, down: 0 });
    expect(t.p.isActive(S)).toBe(false);
    t.advance(1000);
    await t.p.tick();
    expect(t.sent).toHaveLength(0);
  });

  it('the sharer applies u_s and never drops its chunks; its engine forgets its judgements at each new round only', async () => {
    const t = setup('s');
    await t.deliver(signed(control({ round: 3 })));
    await t.deliver(signed(control({ round: 3, sharerUp: 500 * KiB })));
    await t.deliver(signed(control({ round: 4, sharerUp: 500 * KiB })));
    const applied = { mode: 'p2p', down: 0, defectAfterMs: CLASSROOM_DEFECT_AFTER_MS };
    expect(t.applied).toEqual([
      { ...applied, up: 1000 * KiB, newRound: true },
      { ...applied, up: 500 * KiB },
      { ...applied, up: 500 * KiB, newRound: true },
    ]);
    expect(t.restarts).toEqual([]);
  });

  it('per-peer caps override the defaults for that peer only', () => {
    const c = control({ perPeer: { me: { down: 64 * KiB } } });
    expect(settingsFor(c, 'p', 'me')).toEqual({
      mode: 'p2p',
      up: 500 * KiB,
      down: 64 * KiB,
      freeRide: false,
      defectAfterMs: CLASSROOM_DEFECT_AFTER_MS,
    });
    expect(settingsFor(c, 'p', 'other')).toEqual({
      mode: 'p2p',
      up: 500 * KiB,
      down: 0,
      freeRide: false,
      defectAfterMs: CLASSROOM_DEFECT_AFTER_MS,
    });
  });

  it('a peer the teacher made a free rider applies it; others and the sharer do not', () => {
    const c = control({ perPeer: { me: { free: true } } });
    expect(settingsFor(c, 'p', 'me')).toEqual({
      mode: 'p2p',
      up: 500 * KiB,
      down: 0,
      freeRide: true,
      defectAfterMs: CLASSROOM_DEFECT_AFTER_MS,
    });
    expect(settingsFor(c, 'p', 'other').freeRide).toBe(false);
    expect(settingsFor(c, 's', 'me').freeRide).toBeUndefined();
    // The sharer's own tit-for-tat (pass-on.ts) judges within the round's window too.
    expect(settingsFor(c, 's', 'me').defectAfterMs).toBe(CLASSROOM_DEFECT_AFTER_MS);
  });
});
