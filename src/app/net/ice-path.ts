/**
 * How a WebRTC connection's bytes flow, and why one failed, read from `RTCPeerConnection.getStats()`
 * (pure functions over the stats entries, so they are unit-tested without a browser).
 *
 * - `lan`: direct, neither side behind a NAT as seen from the other: both candidates are host
 *   candidates, or a STUN server saw a private address (a LAN whose hosts learn their own address
 *   through the built-in STUN server when mDNS is filtered), or both behind the same NAT address
 *   (a class behind its school's router);
 * - `nat`: direct through NAT, hole-punched (a server-reflexive or peer-reflexive public address);
 * - `relay`: one side (or both) sends through a TURN server.
 */

export type PeerRoute = 'lan' | 'nat' | 'relay';

export interface RouteInfo {
  route: PeerRoute;
  /** The selected pair's candidate types ('host' | 'srflx' | 'prflx' | 'relay'). */
  local: string;
  remote: string;
}

/**
 * Why a connection could not be made:
 * - `needs-relay`: no relay candidate was offered by either side while direct candidates were tried
 *   and failed: a TURN server is what is missing;
 * - `relay-failed`: a relay candidate was there and still nothing connected (the relay refused or
 *   is unreachable, or a firewall blocks it);
 * - `no-candidates`: this browser gathered no candidate at all (no network, or an insecure origin
 *   with no STUN server).
 * - `not-holder`: the connection was made, but the peer could not prove it holds the link
 *   (peer-auth.ts): someone who knows only the swarm id. The least actionable: any other reason wins.
 */
export type ConnectFailure = 'needs-relay' | 'relay-failed' | 'no-candidates' | 'not-holder';

interface StatsEntry {
  id: string;
  type: string;
  [key: string]: unknown;
}

/** Private, loopback, link-local and unique-local addresses, and mDNS names: not a NAT's public side. */
export function isPrivateAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase();
  if (a.endsWith('.local')) return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(a);
  if (v4) {
    const [x, y] = [Number(v4[1]), Number(v4[2])];
    return (
      x === 10 || x === 127 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 169 && y === 254)
    );
  }
  return a === '::1' || a.startsWith('fe80:') || a.startsWith('fc') || a.startsWith('fd');
}

function byId(stats: StatsEntry[]): Map<string, StatsEntry> {
  return new Map(stats.map((s) => [s.id, s]));
}

/**
 * The selected candidate pair: the transport's pointer (Chromium), else the pair flagged `selected`
 * (Firefox has no transport entry and may hold several nominated pairs), else a nominated succeeded pair.
 */
function selectedPair(stats: StatsEntry[]): StatsEntry | undefined {
  const ids = byId(stats);
  for (const s of stats) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      const pair = ids.get(s.selectedCandidatePairId);
      if (pair) return pair;
    }
  }
  const pairs = stats.filter((s) => s.type === 'candidate-pair');
  return pairs.find((s) => s.selected === true) ?? pairs.find((s) => s.nominated === true && s.state === 'succeeded');
}

const address = (c: StatsEntry) => (c.address ?? c.ip) as string | undefined;
/**
 * Only an IP literal can be public. Browsers hide a peer-reflexive candidate's address in several
 * ways: Chromium leaves it empty, Firefox shows '(redacted)', or an unspecified '0.0.0.0' / '::'
 * mid-checks. A hidden address is no evidence of a NAT.
 */
const isPublic = (a: string | undefined) =>
  !!a &&
  /^(\d+\.\d+\.\d+\.\d+|[0-9a-f:.]*:[0-9a-f:.]*)$/i.test(a) &&
  !/^(0\.0\.0\.0|::)$/.test(a) &&
  !isPrivateAddress(a);

/** The public addresses a STUN server reported for this side's or the peer's candidates. */
function reflexiveAddresses(
  stats: StatsEntry[],
  side: 'local-candidate' | 'remote-candidate',
  signaled: Iterable<string>,
): Set<string> {
  const found = stats.filter((c) => c.type === side && c.candidateType === 'srflx').map(address);
  return new Set([...found, ...signaled].filter(isPublic) as string[]);
}

/** This browser is behind a NAT (a public srflx address) that the peer is not also behind. */
function behindOtherNat(stats: StatsEntry[], signaled: SignaledReflexive): boolean {
  const ours = reflexiveAddresses(stats, 'local-candidate', signaled.local);
  const theirs = reflexiveAddresses(stats, 'remote-candidate', signaled.remote);
  return ours.size > 0 && ![...ours].some((a) => theirs.has(a));
}

/**
 * The srflx addresses this side gathered and the peer sent over signaling. getStats alone can't be
 * trusted with them: it lists a remote candidate only while a pair uses it, and Chromium prunes the
 * failed pairs (the peer's srflx one, between two students behind one NAT) once another is selected.
 */
export interface SignaledReflexive {
  local: Iterable<string>;
  remote: Iterable<string>;
}

/** The route of a connected peer connection, or undefined while no pair is selected. */
export function routeFromStats(
  stats: StatsEntry[],
  signaled: SignaledReflexive = { local: [], remote: [] },
): RouteInfo | undefined {
  const pair = selectedPair(stats);
  if (!pair) return undefined;
  const ids = byId(stats);
  const local = ids.get(pair.localCandidateId as string);
  const remote = ids.get(pair.remoteCandidateId as string);
  if (!local || !remote) return undefined;
  const localType = String(local.candidateType);
  const remoteType = String(remote.candidateType);
  let route: PeerRoute;
  if (localType === 'relay' || remoteType === 'relay') route = 'relay';
  else if (localType === 'host' && remoteType === 'host') route = 'lan';
  else {
    // Chromium hides a peer-reflexive remote address (null), so a pair alone can't always tell; a
    // public address in it, or a STUN server that saw this browser at a public address (one of its
    // srflx candidates) means a NAT is on the way, unless the STUN server saw the peer at that same
    // public address: then both sit behind one NAT (a class behind a school's address) and a direct
    // pair between them stays on their LAN (the NAT does not loop packets back to its own address).
    route = isPublic(address(local)) || isPublic(address(remote)) || behindOtherNat(stats, signaled) ? 'nat' : 'lan';
  }
  return { route, local: localType, remote: remoteType };
}

/**
 * Why a connection that never came up failed, from the candidate types this side gathered and the
 * ones the other side sent. (Not from getStats: simple-peer closes the connection on an ICE
 * failure before anyone can ask it.)
 */
export function failureFromCandidates(local: ReadonlySet<string>, remote: ReadonlySet<string>): ConnectFailure {
  if (local.size === 0) return 'no-candidates';
  if (local.has('relay') || remote.has('relay')) return 'relay-failed';
  return 'needs-relay';
}

/** Candidate types ('host', 'srflx', 'prflx', 'relay') named in an SDP or a trickled candidate line. */
export function candidateTypes(text: string): string[] {
  return [...text.matchAll(/ typ ([a-z]+)/g)].map((m) => m[1]!);
}

/** Most srflx addresses kept per side of a connection (a hostile peer could send thousands). */
const MAX_REFLEXIVE = 8;

/** What one side's candidates said: their types, and the addresses a STUN server saw it at. */
export class CandidateNotes {
  readonly types = new Set<string>();
  readonly reflexive = new Set<string>();

  /** Notes the candidates in an SDP, a trickled candidate, or a JSON text of either; true if a new srflx address came. */
  note(text: string): boolean {
    for (const type of candidateTypes(text)) this.types.add(type);
    const before = this.reflexive.size;
    for (const m of text.matchAll(/candidate:\S+ \d+ \S+ \d+ (\S+) \d+ typ srflx/g))
      if (this.reflexive.size < MAX_REFLEXIVE) this.reflexive.add(m[1]!);
    return this.reflexive.size > before;
  }
}

/** The most telling of several failures: a missing relay is the one a deployment can fix. */
export function worstFailure(a: ConnectFailure | undefined, b: ConnectFailure): ConnectFailure {
  const rank: Record<ConnectFailure, number> = {
    'not-holder': -1,
    'no-candidates': 0,
    'relay-failed': 1,
    'needs-relay': 2,
  };
  return a === undefined || rank[b] > rank[a] ? b : a;
}
