import { describe, expect, it } from 'vitest';
import {
  CandidateNotes,
  candidateTypes,
  failureFromCandidates,
  isPrivateAddress,
  routeFromStats,
  worstFailure,
} from './ice-path';

const cand = (id: string, type: 'local-candidate' | 'remote-candidate', candidateType: string, address: string) => ({
  id,
  type,
  candidateType,
  address,
});

/** Stats of a connection whose transport selected the pair L-R. */
function selected(local: [string, string], remote: [string, string]) {
  return [
    { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
    { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', state: 'succeeded' },
    { id: 'P2', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R', state: 'failed' },
    cand('L', 'local-candidate', ...local),
    cand('L2', 'local-candidate', 'relay', '198.51.100.9'),
    cand('R', 'remote-candidate', ...remote),
  ];
}

/** The expected reading: route, then our and their candidate types. */
const route = (route: string, local: string, remote: string) => ({ route, local, remote });

describe('routeFromStats', () => {
  it('host to host is the LAN', () => {
    expect(routeFromStats(selected(['host', '10.0.0.2'], ['host', 'abc.local']))).toEqual(route('lan', 'host', 'host'));
  });

  it('a STUN-learned private address (LAN without mDNS) is still the LAN', () => {
    expect(routeFromStats(selected(['srflx', '10.0.0.2'], ['prflx', '10.0.0.3']))?.route).toBe('lan');
  });

  it('a public reflexive address is hole-punched through NAT', () => {
    expect(routeFromStats(selected(['host', '192.168.1.2'], ['prflx', '203.0.113.2']))).toEqual(
      route('nat', 'host', 'prflx'),
    );
  });

  it('a hidden peer-reflexive address: a public srflx of ours means NAT, none means the LAN', () => {
    const pair = selected(['host', '192.168.1.2'], ['prflx', '']);
    expect(routeFromStats(pair)?.route).toBe('lan');
    expect(routeFromStats([...pair, cand('S', 'local-candidate', 'srflx', '203.0.113.11')])?.route).toBe('nat');
    expect(routeFromStats([...pair, cand('S', 'local-candidate', 'srflx', '10.0.0.2')])?.route).toBe('lan');
    // An unspecified address is as hidden as an empty one.
    expect(routeFromStats(selected(['host', '10.0.0.12'], ['prflx', '0.0.0.0']))?.route).toBe('lan');
    expect(routeFromStats(selected(['host', '10.0.0.12'], ['prflx', '::']))?.route).toBe('lan');
    // Firefox, some of the time, between a Chromium and a Firefox on one LAN.
    expect(routeFromStats(selected(['host', 'x.local'], ['prflx', '(redacted)']))?.route).toBe('lan');
  });

  it('a hidden peer-reflexive address behind the NAT the peer is also behind is the LAN', () => {
    // A class behind one school address: the STUN server saw both at 203.0.113.10, and the check
    // that made the prflx came from the peer's LAN address (the NAT does not loop back).
    const pair = selected(['host', '10.1.1.10'], ['prflx', '']);
    const ours = cand('S', 'local-candidate', 'srflx', '203.0.113.10');
    const theirs = cand('RS', 'remote-candidate', 'srflx', '203.0.113.10');
    expect(routeFromStats([...pair, ours, theirs])?.route).toBe('lan');
    // The peer behind another NAT, or one whose STUN answer we never saw: hole-punched.
    expect(routeFromStats([...pair, ours, { ...theirs, address: '203.0.113.12' }])?.route).toBe('nat');
    expect(routeFromStats([...pair, ours])?.route).toBe('nat');
    // The pair itself through the shared address (a router that loops back): still NAT.
    const hairpin = selected(['host', '10.1.1.10'], ['srflx', '203.0.113.10']);
    expect(routeFromStats([...hairpin, ours, theirs])?.route).toBe('nat');
  });

  it("the peer's srflx address heard over signaling counts when getStats no longer lists it", () => {
    // Chromium drops the failed pairs, and with them the peer's srflx candidate, once it has selected
    // the LAN pair: two students behind one school NAT stayed labelled `nat` without this.
    const pair = selected(['host', '10.1.1.10'], ['prflx', '']);
    const ours = cand('S', 'local-candidate', 'srflx', '203.0.113.10');
    expect(routeFromStats([...pair, ours], { local: [], remote: ['203.0.113.10'] })?.route).toBe('lan');
    expect(routeFromStats(pair, { local: ['203.0.113.10'], remote: ['203.0.113.10'] })?.route).toBe('lan');
    expect(routeFromStats(pair, { local: ['203.0.113.10'], remote: ['203.0.113.12'] })?.route).toBe('nat');
    expect(routeFromStats(pair, { local: ['203.0.113.10'], remote: [] })?.route).toBe('nat');
  });

  it('notes candidate types and srflx addresses from SDPs and trickled candidates, within a bound', () => {
    const notes = new CandidateNotes();
    notes.note(
      JSON.stringify({
        type: 'offer',
        sdp: 'a=candidate:1 1 udp 2122260223 abc.local 5000 typ host generation 0\r\na=candidate:2 1 udp 1686052607 203.0.113.11 5000 typ srflx raddr 0.0.0.0 rport 0\r\n',
      }),
    );
    notes.note('candidate:3 1 udp 1686052607 203.0.113.12 6000 typ srflx raddr 10.0.0.2 rport 6000');
    expect([...notes.types]).toEqual(['host', 'srflx']);
    expect([...notes.reflexive]).toEqual(['203.0.113.11', '203.0.113.12']);
    for (let i = 0; i < 100; i++) notes.note(`candidate:9 1 udp 1 198.51.100.${i} 7 typ srflx`);
    expect(notes.reflexive.size).toBe(8);
  });

  it('a relay candidate on either end is relayed (the selected pair, not any relay gathered)', () => {
    expect(routeFromStats(selected(['relay', '198.51.100.9'], ['srflx', '203.0.113.2']))?.route).toBe('relay');
    expect(routeFromStats(selected(['host', '192.168.1.2'], ['relay', '198.51.100.9']))?.route).toBe('relay');
  });

  it('falls back to the nominated succeeded pair, and knows nothing without one', () => {
    const stats = selected(['host', '10.0.0.2'], ['host', '10.0.0.3']).filter((s) => s.type !== 'transport');
    expect(routeFromStats(stats)).toBeUndefined();
    (stats.find((s) => s.id === 'P') as Record<string, unknown>).nominated = true;
    expect(routeFromStats(stats)?.route).toBe('lan');
  });

  it("follows Firefox's `selected` flag among several nominated pairs (no transport entry)", () => {
    const stats = selected(['host', '10.0.0.2'], ['host', '10.0.0.3']).filter((s) => s.type !== 'transport');
    const pair = (id: string) => stats.find((s) => s.id === id) as Record<string, unknown>;
    Object.assign(pair('P'), { nominated: true, selected: false });
    Object.assign(pair('P2'), { nominated: true, state: 'succeeded', selected: true });
    expect(routeFromStats(stats)).toEqual(route('relay', 'relay', 'host'));
  });
});

describe('failureFromCandidates', () => {
  const set = (...t: string[]) => new Set(t);
  it('no candidate gathered at all', () => {
    expect(failureFromCandidates(set(), set('host'))).toBe('no-candidates');
  });

  it('direct candidates tried and no relay offered by anyone: a relay is what is missing', () => {
    expect(failureFromCandidates(set('host', 'srflx'), set('srflx'))).toBe('needs-relay');
    expect(failureFromCandidates(set('host'), set())).toBe('needs-relay');
  });

  it('a relay offered (ours or theirs) and still no connection is something else', () => {
    expect(failureFromCandidates(set('host', 'relay'), set('srflx'))).toBe('relay-failed');
    expect(failureFromCandidates(set('host'), set('relay'))).toBe('relay-failed');
  });

  it('reads candidate types from SDP and trickled candidate lines', () => {
    const sdp =
      'a=candidate:1 1 udp 2122260223 abc.local 5000 typ host generation 0\r\na=candidate:2 1 udp 1686052607 203.0.113.11 5000 typ srflx raddr 0.0.0.0 rport 0\r\n';
    expect(candidateTypes(sdp)).toEqual(['host', 'srflx']);
    expect(
      candidateTypes('candidate:3 1 udp 41885439 203.0.113.2 49160 typ relay raddr 203.0.113.11 rport 5000'),
    ).toEqual(['relay']);
  });

  it('keeps the most actionable of several failures', () => {
    expect(worstFailure(undefined, 'no-candidates')).toBe('no-candidates');
    expect(worstFailure('no-candidates', 'needs-relay')).toBe('needs-relay');
    expect(worstFailure('needs-relay', 'relay-failed')).toBe('needs-relay');
  });
});

describe('isPrivateAddress', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '127.0.0.1',
    '169.254.1.1',
    'fe80::1',
    'fd00::1',
    'x.local',
  ])('%s is private', (a) => expect(isPrivateAddress(a)).toBe(true));
  it.each(['172.32.0.1', '203.0.113.5', '8.8.8.8', '2001:db8::1', undefined])('%s is not', (a) =>
    expect(isPrivateAddress(a)).toBe(false),
  );
});
