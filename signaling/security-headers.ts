/**
 * Headers on every HTTP response of the tracker's port (the app, /healthz, /config.json, errors):
 * the page may not be framed (clickjacking of Remove or the classroom toggle), loads scripts,
 * styles and workers only from its own origin (no inline script: the Vite build has none), may
 * compile WebAssembly ('wasm-unsafe-eval', for the whole-file SHA-256 in src/worker/hasher.ts; it
 * allows no eval of JavaScript), talks only to its own origin over fetch and WebSocket, and leaks
 * no referrer.
 *
 * connect-src names the WebSocket URLs of the request's own Host besides 'self', since not every
 * browser counts ws:/wss: to the same host as 'self'. A Host that is not a plain host[:port] gets
 * 'self' alone (it could only break the page of whoever sent it).
 */
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

export function contentSecurityPolicy(host: string | undefined): string {
  const ws = host !== undefined && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self'${ws}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(host: string | undefined): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(host),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
}
