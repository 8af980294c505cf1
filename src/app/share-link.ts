/**
 * The page's side of share links (src/protocol/share-keys.ts): what a link's secret names, and
 * the per-swarm keys the page needs (the swarm id to announce, the peer authentication key).
 */
import { LinkError, parseLinkSecret, shareKeys, type LinkProblem, type ShareKeys } from '../protocol/share-keys';

export type LinkReading = { ok: true; keys: ShareKeys } | { ok: false; problem: LinkProblem };

/** The keys of a `#/s/<secret>` link, or what is wrong with it. */
export function readShareLink(secret: string): LinkReading {
  try {
    return { ok: true, keys: shareKeys(parseLinkSecret(secret)) };
  } catch (err) {
    return { ok: false, problem: err instanceof LinkError ? err.problem : 'malformed' };
  }
}

/** The swarm id of a link secret; undefined when it is malformed. */
export function swarmIdOfLink(secret: string): string | undefined {
  const r = readShareLink(secret);
  return r.ok ? r.keys.swarmId : undefined;
}

/** Peer authentication keys of the swarms this page takes part in, by swarm id (the connector asks). */
export class AuthKeys {
  private readonly keys = new Map<string, Uint8Array>();

  /** Remembers the key of a link secret; returns its swarm id (undefined when malformed). */
  add(secret: string): string | undefined {
    const r = readShareLink(secret);
    if (!r.ok) return undefined;
    this.keys.set(r.keys.swarmId, r.keys.authKey);
    return r.keys.swarmId;
  }

  get(swarmId: string): Uint8Array | undefined {
    return this.keys.get(swarmId);
  }
}
