/** The URLs a browser can open to reach this server: localhost plus every LAN address. */
import { networkInterfaces } from 'node:os';

export function reachableUrls(host: string, port: number): string[] {
  const wildcard = host === '0.0.0.0' || host === '::';
  if (!wildcard) return [`http://${host.includes(':') ? `[${host}]` : host}:${port}/`];
  const urls = [`http://localhost:${port}/`];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.internal || a.family !== 'IPv4') continue; // IPv6 link-local URLs need a zone id: skip
      urls.push(`http://${a.address}:${port}/`);
    }
  }
  return urls;
}
