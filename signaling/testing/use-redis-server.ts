/** Test helper (imports vitest: tests only; benches use startRedisServer directly). */
import { afterAll, beforeAll } from 'vitest';
import { startRedisServer, type RedisServer } from './redis-server.ts';

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
