/**
 * Serves the built SPA from `root` (GET/HEAD only). Paths without a file extension that match no
 * file get index.html, so client-side routes work; a missing asset (`/x.js`) is a 404, not HTML.
 * Bad paths (traversal, broken %-escapes, NUL) get 400 and never throw. A file is served only if
 * its real path (symlinks resolved) is inside the root's: a link under dist/ pointing out is a 404.
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function serveStatic(root: string): RequestHandler {
  const base = resolve(root);
  const assets = join(base, 'assets') + sep;
  const isServable = (path: string) => isFile(path) && inside(realBase(base), path);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path');
      return;
    }
    let file = normalize(join(base, pathname));
    if (pathname.includes('\0') || (file !== base && !file.startsWith(base + sep))) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path');
      return;
    }
    if (!isServable(file)) {
      if (extname(pathname) !== '') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      file = join(base, 'index.html');
    }
    if (!isServable(file)) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The app is not built: run `npm run build`.');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

/** The root's real path (looked up per request: dist/ may be rebuilt or not exist yet). */
function realBase(base: string): string {
  try {
    return realpathSync(base);
  } catch {
    return base;
  }
}

/** Whether `path`, symlinks resolved, is `root` or under it. */
function inside(root: string, path: string): boolean {
  try {
    const real = realpathSync(path);
    return real === root || real.startsWith(root + sep);
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
