/** The tracker's plain HTTP routes: /healthz, /config.json, then the static SPA (if any). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IceServer } from './config.ts';
import type { RequestHandler } from './static.ts';

export interface HealthSource {
  stats(): { clients: number; swarms: number };
  /** False while the instance refuses new connections (its shared store is away): a load balancer skips it. */
  accepting(): boolean;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export function httpRoutes(
  health: HealthSource,
  iceServers: IceServer[],
  statics: RequestHandler | null,
): RequestHandler {
  const startedAt = Date.now();
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      const ok = health.accepting();
      const uptimeSec = Math.round((Date.now() - startedAt) / 1000);
      return json(res, ok ? 200 : 503, { ok, ...health.stats(), uptimeSec });
    }
    // The browser's RTCPeerConnection config: lets a deployment add STUN/TURN without a rebuild.
    if (path === '/config.json') return json(res, 200, { iceServers });
    if (path === '/tracker')
      return json(res, 426, { error: 'this is the WebSocket endpoint: connect with a WebSocket' });
    if (statics) return statics(req, res);
    json(res, 404, { error: 'not found' });
  };
}
