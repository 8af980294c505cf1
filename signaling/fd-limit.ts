/**
 * The process's file descriptor limit (`ulimit -n`, the soft RLIMIT_NOFILE), read from
 * /proc/self/limits since Node has no getrlimit. Every open socket is a descriptor: past the
 * limit, accept() fails with EMFILE for everyone, so the tracker sizes its connection limits below it.
 */
import { readFileSync } from 'node:fs';

/** Descriptors kept free for everything that is not a client socket (dist/ files, logs, the listener). */
export const FD_RESERVE = 64;

/** The soft "Max open files" of a /proc/<pid>/limits text; undefined if absent or "unlimited". */
export function parseFdLimit(limitsText: string): number | undefined {
  const line = limitsText.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
}

/** This process's descriptor limit; undefined where /proc is not there (not Linux). */
export function readFdLimit(): number | undefined {
  try {
    return parseFdLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * TCP sockets the server may hold (`server.maxConnections`) and WebSockets it may accept, for a
 * descriptor limit and the configured WebSocket limit: sockets stop FD_RESERVE short of the
 * limit, WebSockets another FD_RESERVE short of that, so page loads and health checks still get
 * through when the WebSockets are full.
 */
export function connectionCaps(
  fdLimit: number | undefined,
  maxConnections: number,
): { sockets: number | undefined; webSockets: number; lowered: boolean } {
  if (fdLimit === undefined) return { sockets: undefined, webSockets: maxConnections, lowered: false };
  const sockets = Math.max(1, fdLimit - FD_RESERVE);
  const webSockets = Math.max(1, Math.min(maxConnections, sockets - FD_RESERVE));
  return { sockets, webSockets, lowered: webSockets < maxConnections };
}
