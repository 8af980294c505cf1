/** Test helper (imports vitest through use-redis-server: tests only). */
import { registerClassroom, type ClassroomLimits } from '../classroom.ts';
import { RedisBackplane } from '../redis-backplane.ts';
import { startTracker, type Tracker } from '../tracker.ts';
import type { RedisServer } from './redis-server.ts';
import { TestClient } from './test-client.ts';
import { useTrackersOverRedis } from './use-redis-server.ts';

export interface ClassroomInstance {
  tracker: Tracker;
  backplane: RedisBackplane;
  rooms: ReturnType<typeof registerClassroom>;
}

const quiet = () => undefined;

/**
 * For a file that runs classroom rooms across tracker instances over `redis`: `instances(n)`
 * starts n of them (fast heartbeats, so a dead one is noticed within `deadAfterMs`), `connect`
 * opens a client on one; both are closed after each test.
 */
export function useClassroomInstances(redis: RedisServer, deadAfterMs: number) {
  const { trackers, clients } = useTrackersOverRedis(redis);

  async function instances(n: number, limits: Partial<ClassroomLimits> = {}): Promise<ClassroomInstance[]> {
    return Promise.all(
      Array.from({ length: n }, async () => {
        const made = {} as ClassroomInstance;
        made.tracker = await startTracker({
          log: quiet,
          limits: { messageBurst: 1000 },
          backplane: async (localMembers) =>
            (made.backplane = await RedisBackplane.start({
              url: redis.url,
              log: quiet,
              localMembers,
              heartbeatMs: 100,
              deadAfterMs,
            })),
          plugins: [(host) => (made.rooms = registerClassroom(host, limits))],
        });
        trackers.push(made.tracker);
        return made;
      }),
    );
  }

  async function connect(i: ClassroomInstance): Promise<TestClient> {
    const c = await TestClient.connect(i.tracker.wsUrl);
    clients.push(c);
    return c;
  }

  return { instances, connect, trackers, clients };
}
