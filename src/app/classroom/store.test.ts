/**
 * The projector believes stats only where they agree with the room's signed control (round, mode),
 * the tracker's word on who the sharer is, and the sharer's file size: one forged stats message
 * from a student must not rewrite the wall's round, N, F, u_s or mode.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { stats } from '../../../signaling/testing/classroom-fixtures';
import { useClassroom } from './store';

const KiB = 1024;
const control = { round: 1, mode: 'p2p' as const, sharerUp: 256 * KiB, peerUp: 0, peerDown: 0, perPeer: {} };

beforeEach(() => {
  const s = useClassroom.getState();
  s.reset('swarm', 'live');
  s.receive({ type: 'classroom-members', peers: ['sharer', 'a', 'b'], sharer: 'sharer' }, 0);
  s.receive({ type: 'classroom-control', control }, 0);
  s.receive(
    { type: 'classroom-stats', from: 'sharer', stats: stats({ role: 's', r: 1, cu: 256 * KiB, h: '8A==' }) },
    10,
  );
  s.receive({ type: 'classroom-stats', from: 'a', stats: stats({ r: 1 }) }, 10);
});

describe('projector store under forged stats', () => {
  it('ignores a student claiming to be the sharer, another round or mode, or another file', () => {
    const before = useClassroom.getState().measured;
    expect(before).toMatchObject({ round: 1, mode: 'p2p', N: 1, F: 4 * 262144 });
    const s = useClassroom.getState();
    s.receive({ type: 'classroom-stats', from: 'b', stats: stats({ role: 's', r: 1, cu: 16 * KiB }) }, 20);
    s.receive({ type: 'classroom-stats', from: 'b', stats: stats({ r: 999, m: 'cs' }) }, 20);
    s.receive({ type: 'classroom-stats', from: 'b', stats: stats({ r: 1, m: 'cs' }) }, 20);
    s.receive({ type: 'classroom-stats', from: 'b', stats: stats({ r: 1, F: 8 * 262144, n: 8, h: 'AA==' }) }, 20);
    // The sharer itself reporting as a downloader: also contradicts the tracker.
    s.receive({ type: 'classroom-stats', from: 'sharer', stats: stats({ role: 'p', r: 1 }) }, 20);
    const after = useClassroom.getState();
    expect(after.peers.has('b')).toBe(false);
    expect(after.peers.get('sharer')?.role).toBe('s');
    expect(after.measured).toMatchObject({ round: 1, mode: 'p2p', N: 1, F: 4 * 262144 });
    expect(after.measured.us).toBe(before.us);
  });

  it('takes honest stats of the same round, mode and file', () => {
    useClassroom.getState().receive({ type: 'classroom-stats', from: 'b', stats: stats({ r: 1 }) }, 20);
    expect(useClassroom.getState().measured.N).toBe(2);
  });
});

describe('the round on the projector clock', () => {
  it('times D from the control reaching the projector, so a late starter adds to D', () => {
    const s = useClassroom.getState();
    s.reset('swarm', 'live');
    s.receive({ type: 'classroom-members', peers: ['sharer', 'a', 'b'], sharer: 'sharer' }, 0);
    s.receive({ type: 'classroom-control', control: { ...control, round: 2 } }, 100_000);
    // The same round's control again (caps applied) does not move the start.
    s.receive({ type: 'classroom-control', control: { ...control, round: 2 } }, 103_000);
    expect(useClassroom.getState().roundStarts.get(2)).toBe(100_000);
    const all = '8A=='; // all 4 chunks
    const send = (from: string, at: number, over: Parameters<typeof stats>[0]) =>
      useClassroom.getState().receive({ type: 'classroom-stats', from, stats: stats({ r: 2, ...over }) }, at);
    send('sharer', 101_000, { role: 's', cu: 256 * KiB, h: all, el: 1000 });
    // a started at once and took 3 s on its own clock; b clicked 2 s later and also took 3 s.
    send('a', 103_000, { h: all, el: 3000, dt: 3000 });
    send('b', 105_000, { h: all, el: 3000, dt: 3000 });
    const m = useClassroom.getState().measured;
    expect(m.D).toBeCloseTo(5); // not 3: the class had the file 5 s after the round began
  });
});
