/**
 * The tracker's web surface as a hostile page or client would probe it: headers on every
 * response, WebSocket upgrades from other origins, symlinks out of the app directory, and
 * methods /healthz does not answer.
 */
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracker, type Tracker } from './tracker.ts';
import { TestClient } from './testing/test-client.ts';
import { rawRequest } from './testing/raw-http.ts';

let tracker: Tracker;
const logged: string[] = [];

beforeAll(async () => {
  const outside = mkdtempSync(join(tmpdir(), 'swarmdrop-secret-'));
  writeFileSync(join(outside, 'secret.txt'), 'private key material');
  const dist = mkdtempSync(join(tmpdir(), 'swarmdrop-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  symlinkSync(join(outside, 'secret.txt'), join(dist, 'leak.txt'));
  symlinkSync(outside, join(dist, 'assets', 'outside'));
  symlinkSync(join(dist, 'assets', 'app.js'), join(dist, 'inside.js')); // a link within the root is fine
  tracker = await startTracker({
    staticRoot: dist,
    allowedOrigins: ['https://school.example'],
    log: (_level, message) => logged.push(message),
  });
});
afterAll(() => tracker.close());

const send = (path: string, method = 'GET', headers: Record<string, string> = {}) =>
  rawRequest(tracker.port, path, method, headers);

describe('strict headers on every response', () => {
  it.each([
    ['/', 'GET', 200],
    ['/assets/app.js', 'GET', 200],
    ['/missing.js', 'GET', 404],
    ['/healthz', 'GET', 200],
    ['/healthz', 'POST', 405],
    ['/config.json', 'GET', 200],
    ['/tracker', 'GET', 426],
    ['/%E0%A4%A', 'GET', 400],
  ])('%s %s -> %i', async (path, method, status) => {
    const res = await send(path, method);
    expect(res.status).toBe(status);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    // Scripts from the origin only, plus compiling WebAssembly; never eval or inline script.
    expect(csp.split('; ').find((d) => d.startsWith('script-src '))).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${tracker.port} wss://127.0.0.1:${tracker.port}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });

  it('a hostile Host header cannot write into the policy', async () => {
    const res = await send('/', 'GET', { host: "evil.example; script-src 'unsafe-inline'" });
    expect(String(res.headers['content-security-policy'])).toContain("connect-src 'self';");
    expect(String(res.headers['content-security-policy'])).not.toContain('unsafe-inline');
  });
});

describe('WebSocket upgrades: Origin checked', () => {
  /** 'open', or the error the handshake failed with. */
  async function upgrade(origin?: string): Promise<string> {
    const c = new TestClient(tracker.wsUrl, origin === undefined ? {} : { origin });
    try {
      await c.opened;
      c.ws.terminate();
      return 'open';
    } catch (err) {
      return (err as Error).message;
    }
  }

  it('refuses another origin with 403 and logs it', async () => {
    expect(await upgrade('https://evil.example')).toMatch(/403/);
    expect(await upgrade(`http://127.0.0.1:${tracker.port + 1}`)).toMatch(/403/); // another port is another origin
    expect(await upgrade('null')).toMatch(/403/); // sandboxed frames, file: pages
    expect(logged.join('\n')).toMatch(
      /refused: WebSocket from 127\.0\.0\.1: origin "https:\/\/evil\.example" not allowed/,
    );
  });

  it('accepts its own origin, a configured one, and clients that send none (not a browser)', async () => {
    expect(await upgrade(`http://127.0.0.1:${tracker.port}`)).toBe('open');
    expect(await upgrade('https://school.example')).toBe('open');
    expect(await upgrade()).toBe('open');
  });
});

describe('static files stay inside the root', () => {
  it('does not follow a symlink out of it (file or directory)', async () => {
    for (const path of ['/leak.txt', '/assets/outside/secret.txt']) {
      const res = await send(path);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('private key');
    }
  });

  it('serves a symlink that stays inside it', async () => {
    expect(await send('/inside.js')).toMatchObject({ status: 200, body: 'console.log(1)' });
  });
});

describe('/healthz answers GET and HEAD only', () => {
  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s -> 405 with Allow', async (method) => {
    const res = await send('/healthz', method);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('GET and HEAD -> 200', async () => {
    expect((await send('/healthz')).status).toBe(200);
    expect(await send('/healthz', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });
});
