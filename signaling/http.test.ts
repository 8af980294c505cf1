/** HTTP side of the tracker: /healthz, /config.json, the static SPA, and hostile paths. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracker, type Tracker } from './tracker.ts';
import { swarmId, TestClient } from './testing/test-client.ts';
import { rawRequest } from './testing/raw-http.ts';

let tracker: Tracker;
const ice = [{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'p' }];

beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'swarmdrop-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  tracker = await startTracker({ staticRoot: dist, iceServers: ice });
});
afterAll(() => tracker.close());

const get = (path: string, method = 'GET') => rawRequest(tracker.port, path, method);

describe('http routes', () => {
  it('/healthz counts clients and swarms', async () => {
    expect(JSON.parse((await get('/healthz')).body)).toMatchObject({ ok: true, clients: 0, swarms: 0 });
    const [a, b] = [await TestClient.connect(tracker.wsUrl), await TestClient.connect(tracker.wsUrl)];
    await a.announce(swarmId(1));
    await b.announce(swarmId(2));
    expect(JSON.parse((await get('/healthz')).body)).toMatchObject({ clients: 2, swarms: 2 });
    await Promise.all([a.close(), b.close()]);
  });

  it('/config.json gives the configured ICE servers', async () => {
    const res = await get('/config.json');
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body)).toEqual({ iceServers: ice });
  });

  it('serves the SPA: files, client-side routes to index.html, missing assets as 404', async () => {
    expect(await get('/')).toMatchObject({ status: 200, body: '<!doctype html><title>app</title>' });
    expect(await get('/s/some-share?x=1')).toMatchObject({ status: 200, body: '<!doctype html><title>app</title>' });
    const asset = await get('/assets/app-1234.js');
    expect(asset).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect(await get('/assets/app-1234.js', 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect((await get('/', 'POST')).status).toBe(405);
  });

  it('answers hostile paths with 400 and keeps running', async () => {
    expect((await get('/%E0%A4%A')).status).toBe(400); // broken %-escape
    expect((await get('/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
    expect((await get('/a%00b')).status).toBe(400);
    expect((await get('/healthz')).status).toBe(200);
  });

  it('/tracker over plain HTTP says to use a WebSocket; other upgrade paths are refused', async () => {
    expect((await get('/tracker')).status).toBe(426);
    const wrong = new TestClient(`ws://127.0.0.1:${tracker.port}/elsewhere`);
    await expect(wrong.opened).rejects.toThrow(/404/);
  });
});
