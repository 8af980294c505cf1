/** Session's signal contacts: the first swarm inline, more swarms in a map; none lost or doubled. */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Session } from './session.ts';

const session = (id = 'me') => new Session({} as WebSocket, id, '127.0.0.1', { tokens: 1, tokensAt: 0 });
const [p1, p2, p3, q1, q2, r1] = [
  session('p1'),
  session('p2'),
  session('p3'),
  session('q1'),
  session('q2'),
  session('r1'),
];
const ids = (set: Set<Session> | undefined) => [...(set ?? [])].map((s) => s.peerId);

describe('Session contacts', () => {
  it('keeps contacts per swarm, capped, across inline and mapped swarms', () => {
    const s = session();
    s.addContact('A', p1, 2);
    s.addContact('A', p1, 2);
    s.addContact('B', q1, 2);
    s.addContact('A', p2, 2);
    expect(s.addContact('A', p3, 2)).toBe(false); // over the cap of 2
    expect(s.addContact('A', p1, 2)).toBe(true); // already in: still true at the cap
    s.addContact('B', q2, 2);
    expect(s.contactCount()).toBe(4);
    s.removeContact('B', q1);
    expect(ids(s.dropSwarm('B'))).toEqual(['q2']);
    expect(ids(s.dropSwarm('A'))).toEqual(['p1', 'p2']);
    expect(s.dropSwarm('A')).toBeUndefined();
    expect(s.contactCount()).toBe(0);
  });

  it('a swarm already in the map stays there after the inline swarm is dropped', () => {
    const s = session();
    s.addContact('A', p1, 10);
    s.addContact('B', q1, 10);
    s.dropSwarm('A');
    s.addContact('B', q2, 10); // must join q1's set, not start a second one for B
    s.addContact('C', r1, 10); // the inline slot is free for a new swarm
    expect(s.contactCount()).toBe(3);
    expect(new Set(ids(s.dropSwarm('B')))).toEqual(new Set(['q1', 'q2']));
    expect(ids(s.dropSwarm('C'))).toEqual(['r1']);
    expect(s.contactCount()).toBe(0);
  });
});
