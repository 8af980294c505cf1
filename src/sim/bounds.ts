/**
 * Lower bounds on the distribution time of one file to N downloaders (Kurose & Ross, and the
 * lecture note). Pure; the classroom view draws them next to measured times.
 *
 * Units: sizes in bytes, rates in bytes per second, results in seconds.
 * `dMin` is the MINIMUM download rate over the downloaders (the lecture note misprints "max"):
 * the slowest downloader needs at least F / d_min. Pass Infinity when downloads are unlimited.
 */

function check(name: string, value: number, allowInfinity = false): void {
  if (Number.isNaN(value) || value < 0 || (!allowInfinity && !Number.isFinite(value))) {
    throw new RangeError(`${name} must be a non-negative ${allowInfinity ? 'number' : 'finite number'}, got ${value}`);
  }
}

function checkCommon(n: number, fileBytes: number, serverUp: number, dMin: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`N must be a non-negative integer, got ${n}`);
  check('F', fileBytes);
  check('u_s', serverUp, true);
  check('d_min', dMin, true);
  if (serverUp === 0) throw new RangeError('u_s must be positive');
  if (dMin === 0) throw new RangeError('d_min must be positive');
}

/** Client-server: D_cs >= max{ N F / u_s, F / d_min }. Zero downloaders take no time. */
export function boundCS(n: number, fileBytes: number, serverUp: number, dMin: number): number {
  checkCommon(n, fileBytes, serverUp, dMin);
  if (n === 0) return 0;
  return Math.max((n * fileBytes) / serverUp, fileBytes / dMin);
}

/**
 * Peer-to-peer: D_P2P >= max{ F / u_s, F / d_min, N F / (u_s + sum u_i) }.
 * `sumPeerUp` is the sum of the N downloaders' upload rates (not counting the server's).
 */
export function boundP2P(n: number, fileBytes: number, serverUp: number, dMin: number, sumPeerUp: number): number {
  checkCommon(n, fileBytes, serverUp, dMin);
  check('sum u_i', sumPeerUp, true);
  if (n === 0) return 0;
  return Math.max(fileBytes / serverUp, fileBytes / dMin, (n * fileBytes) / (serverUp + sumPeerUp));
}

/** Both bounds from per-downloader rates, as the simulator and the classroom have them. */
export function boundsFor(
  fileBytes: number,
  serverUp: number,
  peers: ReadonlyArray<{ up: number; down: number }>,
): { cs: number; p2p: number; dMin: number; sumUp: number } {
  const dMin = peers.reduce((m, p) => Math.min(m, p.down), Infinity);
  const sumUp = peers.reduce((s, p) => s + p.up, 0);
  return {
    cs: boundCS(peers.length, fileBytes, serverUp, dMin),
    p2p: boundP2P(peers.length, fileBytes, serverUp, dMin, sumUp),
    dMin,
    sumUp,
  };
}
