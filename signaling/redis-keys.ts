/**
 * Every Redis key and channel the backplane uses, in one place (docs/TRACKER.md lists them with
 * their size bounds). Peer ids begin with their instance's tag, so a peer's instance is read off
 * its id instead of looked up per relay.
 */

/** Characters of a peer id that name its instance (3 random bytes in base64url). */
export const TAG_LENGTH = 4;

export class RedisKeys {
  constructor(private readonly prefix: string) {}

  /** Sorted set: instance tag -> last heartbeat (Redis time, ms). */
  get instances(): string {
    return `${this.prefix}instances`;
  }

  /** Sorted set, every score 0 (so members sort by id and one instance's peers form a lex range). */
  swarm(swarm: string): string {
    return `${this.prefix}swarm:${swarm}`;
  }

  /** Set: the swarms an instance has members in (what to sweep when it dies). */
  instanceSwarms(tag: string): string {
    return `${this.prefix}instance-swarms:${tag}`;
  }

  /** String: the tag of the instance that owns a named object (a classroom room); lapses with it. */
  owner(name: string): string {
    return `${this.prefix}owner:${name}`;
  }

  /** Pub/sub channel of what is relayed to an instance: its peers' signals, extension messages. */
  relayChannel(tag: string): string {
    return `${this.prefix}relay:${tag}`;
  }
}
