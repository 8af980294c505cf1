/** Test helper (imports vitest: tests only; benches use startRedisServer directly). */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { Redis } from 'ioredis';
import type { Tracker } from '../tracker.ts';
import { startRedisServer, type RedisServer } from './redis-server.ts';
import type { TestClient } from './test-client.ts';

/**
 * A redis-server for a whole test file: started before its tests, stopped after them (after the
 * file's own afterAll hooks, which run first). Use inside tests only.
 */
export function useRedisServer(): RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const running = () => {
    if (!server) throw new Error('useRedisServer: no redis-server outside a test');
    return server;
  };
  return {
    get port() {
      return running().port;
    },
    get url() {
      return running().url;
    },
    kill: () => running().kill(),
    restart: () => running().restart(),
    stop: () => running().stop(),
  };
}

/**
 * For a file that runs tracker instances over `redis`: after each test the clients and instances
 * it pushed here are closed and Redis is emptied, so no test sees another's members.
 */
export function useTrackersOverRedis(redis: RedisServer): { trackers: Tracker[]; clients: TestClient[] } {
  const trackers: Tracker[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await Promise.all(trackers.splice(0).map((t) => t.close()));
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
  });
  return { trackers, clients };
}
