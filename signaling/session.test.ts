/** Session's signal contacts: the first swarm inline, more swarms in a map; none lost or doubled. */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Session } from './session.ts';

const session = () => new Session({} as WebSocket, 'me', '127.0.0.1', { tokens: 1, tokensAt: 0 }, 0);

describe('Session contacts', () => {
  it('keeps contacts per swarm, capped, across inline and mapped swarms', () => {
    const s = session();
    s.addContact('A', 'p1', 2);
    s.addContact('A', 'p1', 2);
    s.addContact('B', 'q1', 2);
    s.addContact('A', 'p2', 2);
    s.addContact('A', 'p3', 2); // over the cap of 2
    s.addContact('B', 'q2', 2);
    expect(s.contactCount()).toBe(4);
    s.removeContact('B', 'q1');
    expect([...s.dropSwarm('B')!]).toEqual(['q2']);
    expect([...s.dropSwarm('A')!]).toEqual(['p1', 'p2']);
    expect(s.dropSwarm('A')).toBeUndefined();
    expect(s.contactCount()).toBe(0);
  });

  it('a swarm already in the map stays there after the inline swarm is dropped', () => {
    const s = session();
    s.addContact('A', 'p1', 10);
    s.addContact('B', 'q1', 10);
    s.dropSwarm('A');
    s.addContact('B', 'q2', 10); // must join q1's set, not start a second one for B
    s.addContact('C', 'r1', 10); // the inline slot is free for a new swarm
    expect(s.contactCount()).toBe(3);
    expect(new Set(s.dropSwarm('B'))).toEqual(new Set(['q1', 'q2']));
    expect([...s.dropSwarm('C')!]).toEqual(['r1']);
    expect(s.contactCount()).toBe(0);
  });
});
