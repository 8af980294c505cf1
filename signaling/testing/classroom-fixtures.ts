/**
 * Test helper (not a test): a teacher's secret key and the signed classroom messages real clients
 * send, a room opened the way a sharing page opens it, a small valid stats record, and the wait
 * for a room whose owner died to be gone.
 */
import { expect } from 'vitest';
import { packBitfield } from '../../src/protocol/classroom-bitfield.ts';
import type { ClassroomControl, PeerStats } from '../../src/protocol/classroom.ts';
import { classroomKeyOf, newClassroomSecret, signControl, signProof } from '../../src/protocol/classroom-signing.ts';
import { peerStats } from '../../src/protocol/testing/peer-stats.ts';
import type { TestClient } from './test-client.ts';

export class Teacher {
  readonly secret = newClassroomSecret();
  readonly key = classroomKeyOf(this.secret);
  private seq = 0;
  constructor(readonly swarm: string) {}
  open(c: TestClient) {
    return {
      type: 'classroom-open',
      swarm: this.swarm,
      key: this.key,
      proof: signProof(this.secret, 'open', this.swarm, c.peerId),
    };
  }
  watch(c: TestClient) {
    return {
      type: 'classroom-watch',
      swarm: this.swarm,
      key: this.key,
      proof: signProof(this.secret, 'watch', this.swarm, c.peerId),
    };
  }
  join() {
    return { type: 'classroom-join', swarm: this.swarm, key: this.key };
  }
  control(control: Partial<ClassroomControl> & { closed?: true } = {}) {
    const body = { ...DEFAULT_CONTROL, ...control, seq: ++this.seq };
    return {
      type: 'classroom-control',
      swarm: this.swarm,
      key: this.key,
      ...signControl(this.secret, this.swarm, body),
    };
  }
}

/** `sharer` announces the swarm, opens `teacher`'s room and sets its first control, as a sharing page does. */
export async function openRoom(sharer: TestClient, teacher: Teacher): Promise<void> {
  await sharer.announce(teacher.swarm);
  sharer.send(teacher.open(sharer));
  await sharer.next('classroom-opened');
  sharer.send(teacher.control());
  await sharer.next('classroom-control');
}

/**
 * Resolves once `student`'s stats find no live owner of `teacher`'s room (`not-classroom`, which
 * tells a page to join again); the tracker learns of a dead owner only when Redis stops naming it.
 */
export async function untilRoomGone(student: TestClient, teacher: Teacher): Promise<void> {
  await expect
    .poll(
      async () => {
        student.send({ type: 'classroom-stats', swarm: teacher.swarm, key: teacher.key, stats: stats() });
        return (await student.next('classroom-error', 2000)).code;
      },
      { timeout: 10_000, interval: 200 },
    )
    .toBe('not-classroom');
}

export const DEFAULT_CONTROL: ClassroomControl = {
  round: 0,
  mode: 'p2p',
  sharerUp: 0,
  peerUp: 0,
  peerDown: 0,
  perPeer: {},
};

export const stats = (over: Partial<PeerStats> = {}): PeerStats =>
  peerStats({ h: packBitfield(4, (i) => i < 2), f: [2], up: 10, dn: 20, el: 1000, ...over });
