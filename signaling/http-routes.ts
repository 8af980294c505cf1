/** The tracker's plain HTTP routes: /healthz, /config.json, then the static SPA (if any). */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { IceServer } from './config.ts';
import type { RequestHandler } from './static.ts';

export interface HealthSource {
  stats(): { clients: number; swarms: number };
  /** False while the instance refuses new connections (its shared store is away): a load balancer skips it. */
  accepting(): boolean;
}

const DEPLOY_DOC = fileURLToPath(new URL('../docs/DEPLOY.md', import.meta.url));

function serveDeployDoc(res: ServerResponse): void {
  readFile(DEPLOY_DOC).then(
    (body) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(body),
    () => json(res, 404, { error: 'not found' }),
  );
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** A fixed list, or one built per request (the built-in STUN at the page's host, fresh TURN credentials). */
export type IceServersSource = IceServer[] | ((req: IncomingMessage) => IceServer[]);

export function httpRoutes(
  health: HealthSource,
  iceServers: IceServersSource,
  statics: RequestHandler | null,
): RequestHandler {
  const startedAt = Date.now();
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if ((path === '/healthz' || path === '/config.json') && req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return json(res, 405, { error: 'method not allowed' });
    }
    if (path === '/healthz') {
      const ok = health.accepting();
      const uptimeSec = Math.round((Date.now() - startedAt) / 1000);
      return json(res, ok ? 200 : 503, { ok, ...health.stats(), uptimeSec });
    }
    // The browser's RTCPeerConnection config: lets a deployment add STUN/TURN without a rebuild.
    if (path === '/config.json')
      return json(res, 200, { iceServers: typeof iceServers === 'function' ? iceServers(req) : iceServers });
    // The deploy guide the app's "can't connect" notices link to (plain text: it is Markdown).
    if (path === '/docs/DEPLOY.md') return serveDeployDoc(res);
    if (path === '/tracker')
      return json(res, 426, { error: 'this is the WebSocket endpoint: connect with a WebSocket' });
    if (statics) return statics(req, res);
    json(res, 404, { error: 'not found' });
  };
}
