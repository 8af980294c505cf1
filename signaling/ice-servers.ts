/**
 * The ICE server list each /config.json answer carries, built per request:
 * 1. the built-in STUN server, as `stun:<host the page was loaded from>:<port>` (or the configured
 *    public URL behind a reverse proxy). The host comes from the request's Host header, so it is
 *    checked to be a plain host name or IP address: anything else (spaces, `?`, `@`, a second
 *    URL...) leaves the entry out rather than hand the browser a URL someone else wrote;
 * 2. TURN, with a fresh short-lived credential (turn-credentials.ts). A `turn:` URL that names no
 *    transport is offered over UDP and, as a fallback, TCP (`withTcpFallback`): a browser given
 *    only `turn:host:port` tries UDP alone, so a network that blocks outgoing UDP (many corporate
 *    and guest networks) would get no relay at all; with both, ICE prefers the UDP relay and uses
 *    TCP where UDP fails. coturn listens on TCP on the same port unless started with `--no-tcp`;
 * 3. the configured ICE_SERVERS, unchanged.
 */
import { isIP } from 'node:net';
import type { IceServer } from './config.ts';
import { issueTurnCredential } from './turn-credentials.ts';

export interface IceServerSources {
  /** The built-in STUN server's UDP port; undefined when it is off. */
  stunPort?: number;
  /** Overrides the derived `stun:` URL (a deployment behind a reverse proxy). */
  stunPublicUrl?: string;
  turn?: { urls: string[]; secret: string; ttlSec: number };
  iceServers: IceServer[];
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** The host part of a Host header if it is a valid host name or IP address, for use in a URL. */
export function hostForUrl(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(hostHeader);
  if (bracketed) return isIP(bracketed[1]!) === 6 ? `[${bracketed[1]}]` : undefined;
  const m = /^([^:]+)(?::\d{1,5})?$/.exec(hostHeader);
  if (!m) return undefined;
  const host = m[1]!;
  if (isIP(host) === 4 || HOST_NAME.test(host)) return host.toLowerCase();
  return undefined;
}

/**
 * `turn:host:port` becomes `turn:host:port?transport=udp` plus `turn:host:port?transport=tcp`.
 * A URL with its own `?transport=` and `turns:` (TLS, always TCP) are kept as the operator wrote them.
 */
export function withTcpFallback(urls: readonly string[]): string[] {
  const out: string[] = [];
  for (const url of urls) {
    const variants = /^turn:[^?]+$/i.test(url) ? [`${url}?transport=udp`, `${url}?transport=tcp`] : [url];
    for (const v of variants) if (!out.includes(v)) out.push(v);
  }
  return out;
}

export function iceServersFor(hostHeader: string | undefined, src: IceServerSources, nowMs = Date.now()): IceServer[] {
  const out: IceServer[] = [];
  if (src.stunPublicUrl) out.push({ urls: src.stunPublicUrl });
  else if (src.stunPort !== undefined) {
    const host = hostForUrl(hostHeader);
    if (host) out.push({ urls: `stun:${host}:${src.stunPort}` });
  }
  if (src.turn && src.turn.urls.length > 0) {
    out.push({ urls: withTcpFallback(src.turn.urls), ...issueTurnCredential(src.turn.secret, src.turn.ttlSec, nowMs) });
  }
  out.push(...src.iceServers);
  return out;
}
