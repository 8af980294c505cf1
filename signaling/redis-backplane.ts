/**
 * The backplane on Redis (REDIS_URL): membership in one sorted set per swarm, relays over pub/sub
 * to a channel per instance, liveness by heartbeat. Key layout and the reasons for it are in
 * docs/TRACKER.md ("Several instances over Redis"). Redis going away never crashes the instance:
 * it refuses new connections until Redis is back, then writes its membership again.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { PEER_ID_PATTERN, SWARM_ID_PATTERN, type PeerId } from '../src/protocol/tracker.ts';
import type { RemoteMessage, SwarmBackplane } from './backplane.ts';
import type { Log } from './hub.ts';
import { RedisKeys, TAG_LENGTH } from './redis-keys.ts';

export interface RedisBackplaneOptions {
  url: string;
  log: Log;
  /** Every (swarm, peer) this instance holds, to write again after Redis comes back. */
  localMembers: () => Iterable<readonly [string, PeerId]>;
  /** Namespace of every key and channel (several deployments may share one Redis). */
  keyPrefix?: string;
  /** How often the instance says it is alive, and sweeps dead instances. */
  heartbeatMs?: number;
  /** An instance silent this long is dead: its peers are never handed out again, then swept. */
  deadAfterMs?: number;
  /** A swarm key nobody joined for this long expires (abandoned swarms cost nothing). */
  swarmTtlSeconds?: number;
  /** How long the start waits for Redis before giving up with an error. */
  connectTimeoutMs?: number;
}

/** Between the records of one PUBLISH (ASCII RS: JSON.stringify escapes it, ids never hold it). */
const RECORD_SEPARATOR = '\x1e';

/** Extra members asked of ZRANDMEMBER, so that filtering the asker and dead instances still fills the list. */
const SAMPLE_SLACK = 16;

/**
 * Lua, run atomically: KEYS[1] is an owner key, KEYS[2] the instances' heartbeat set, ARGV[1] a
 * deadAfterMs. Leaves (as `cur`) the owner if it heartbeated within deadAfterMs by Redis's clock,
 * so every instance judges liveness alike, even one that has not seen a newcomer's heartbeat yet.
 */
const LIVE_OWNER = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local beat = redis.call('ZSCORE', KEYS[2], cur)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if not beat or now - tonumber(beat) > tonumber(ARGV[1]) then cur = false end
end`;
/** The live owner, or nil. */
const OWNER_OF = `${LIVE_OWNER}\nreturn cur`;
/** The live owner if another instance; else ARGV[2] (the caller) becomes it, the key lapsing after ARGV[3] ms. */
const CLAIM = `${LIVE_OWNER}
if cur and cur ~= ARGV[2] then return cur end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return ARGV[2]`;
/** Deletes the owner key if ARGV[1] still owns it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end`;

export class RedisBackplane implements SwarmBackplane {
  readonly peerIdPrefix: string;
  available = false;
  private readonly keys: RedisKeys;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly messageListeners = new Set<(message: RemoteMessage) => void>();
  private readonly availabilityListeners = new Set<(available: boolean) => void>();
  private readonly topicListeners = new Map<string, Set<(text: string) => void>>();
  private readonly goneListeners = new Set<(tag: string) => void>();
  /** Names this instance owns (claim): their keys are renewed with each heartbeat. */
  private readonly owned = new Set<string>();
  /** Tags of the instances that heartbeated within deadAfterMs (ours included). */
  private liveTags = new Set<string>();
  /** Each live instance's last heartbeat (Redis ms), as read by our last heartbeat (liveForMs). */
  private beats = new Map<string, number>();
  /** Redis's clock at that read, and our monotonic clock just before asking for it. */
  private beatsReadAt = { redisMs: 0, localMs: 0 };
  /**
   * What this event-loop turn publishes, by channel: sent when the turn's reads are done as one
   * PUBLISH per channel, its records joined by RECORD_SEPARATOR. A command per relay cost more
   * than the relay (a write each, and under load every command waiting for its reply outlived a
   * scavenge: the instances spent ~10x a single tracker's GC). ioredis's auto-pipelining flushes
   * after each socket's read, so it batched nothing here.
   */
  private publishes = new Map<string, string[]>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly heartbeatMs: number;
  private readonly deadAfterMs: number;
  private readonly swarmTtlSeconds: number;

  private constructor(
    private readonly options: RedisBackplaneOptions,
    tag: string,
    cmd: Redis,
    sub: Redis,
  ) {
    this.peerIdPrefix = tag;
    this.keys = new RedisKeys(options.keyPrefix ?? 'sd:');
    this.cmd = cmd;
    this.sub = sub;
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.deadAfterMs = options.deadAfterMs ?? 10_000;
    this.swarmTtlSeconds = options.swarmTtlSeconds ?? 86_400;
    this.liveTags.add(tag);
  }

  /** Connects, claims a unique instance tag and subscribes to its channel; throws if Redis can't be reached. */
  static async start(options: RedisBackplaneOptions): Promise<RedisBackplane> {
    const connection = () =>
      new Redis(options.url, {
        lazyConnect: true,
        enableOfflineQueue: false, // a command while Redis is away fails at once, never queues
        maxRetriesPerRequest: 1,
        retryStrategy: (attempt) => Math.min(100 * attempt, 2000), // reconnect for ever
      });
    const cmd = connection();
    const sub = connection();
    const timeout = options.connectTimeoutMs ?? 5000;
    for (const client of [cmd, sub]) client.on('error', () => undefined); // reported through 'close' below
    try {
      await withTimeout(Promise.all([cmd.connect(), sub.connect()]), timeout, `cannot reach Redis at ${options.url}`);
    } catch (err) {
      cmd.disconnect();
      sub.disconnect();
      throw err;
    }
    const keys = new RedisKeys(options.keyPrefix ?? 'sd:');
    const tag = await claimTag(cmd, keys);
    const backplane = new RedisBackplane(options, tag, cmd, sub);
    await backplane.begin();
    return backplane;
  }

  private async begin(): Promise<void> {
    const channel = this.keys.relayChannel(this.peerIdPrefix);
    this.sub.on('message', (from: string, text: string) => {
      if (from === channel) for (const record of text.split(RECORD_SEPARATOR)) this.deliver(record);
    });
    await this.sub.subscribe(channel);
    await this.heartbeat();
    this.setAvailable(true);
    this.cmd.on('close', () => this.setAvailable(false));
    this.sub.on('close', () => this.setAvailable(false));
    // After a reconnect: say we are alive, write our membership again, then take connections.
    const recover = () => {
      if (this.cmd.status === 'ready' && this.sub.status === 'ready') void this.recover();
    };
    this.cmd.on('ready', recover);
    this.sub.on('ready', recover); // ioredis subscribes the channel again by itself
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private async recover(): Promise<void> {
    try {
      await this.heartbeat();
      await this.rewriteMembership();
      this.setAvailable(true);
    } catch (err) {
      this.options.log('warn', `redis: recovery failed, retrying: ${(err as Error).message}`);
    }
  }

  private setAvailable(available: boolean): void {
    if (this.closed || this.available === available) return;
    this.available = available;
    this.options.log(
      available ? 'info' : 'warn',
      `redis: ${available ? 'back' : 'unreachable: refusing new connections'}`,
    );
    for (const cb of this.availabilityListeners) cb(available);
  }

  /** Says we are alive (re-claiming our tag if we were swept meanwhile), learns who else is, sweeps the dead. */
  private async heartbeat(): Promise<void> {
    if (this.closed) return;
    try {
      const localMs = performance.now(); // before Redis reads its clock: liveForMs errs on the short side
      const now = await redisNow(this.cmd);
      const readded = await this.cmd.zadd(this.keys.instances, 'NX', now, this.peerIdPrefix);
      await this.cmd.zadd(this.keys.instances, 'XX', now, this.peerIdPrefix);
      await this.cmd.pexpire(this.keys.instanceSwarms(this.peerIdPrefix), this.deadAfterMs * 10);
      if (readded === 1) await this.rewriteMembership(); // we had been declared dead and swept
      await this.renewClaims();
      const cutoff = now - this.deadAfterMs;
      const withBeats = await this.cmd.zrangebyscore(this.keys.instances, cutoff, '+inf', 'WITHSCORES');
      const beats = new Map<string, number>();
      for (let i = 0; i + 1 < withBeats.length; i += 2) beats.set(withBeats[i]!, Number(withBeats[i + 1]));
      this.beats = beats;
      this.beatsReadAt = { redisMs: now, localMs };
      const before = this.liveTags;
      this.liveTags = new Set(beats.keys());
      this.liveTags.add(this.peerIdPrefix);
      for (const tag of before) if (!this.liveTags.has(tag)) for (const cb of this.goneListeners) cb(tag);
      const dead = await this.cmd.zrangebyscore(this.keys.instances, '-inf', `(${cutoff}`);
      for (const tag of dead) await this.sweep(tag);
    } catch (err) {
      this.options.log('warn', `redis: heartbeat failed: ${(err as Error).message}`);
    }
  }

  /** Removes a dead instance's peers from every swarm it had members in (idempotent: any instance may do it). */
  private async sweep(tag: string): Promise<void> {
    const swarms = await this.cmd.smembers(this.keys.instanceSwarms(tag));
    const batch = this.cmd.multi();
    for (const swarm of swarms) batch.zremrangebylex(this.keys.swarm(swarm), `[${tag}`, `[${tag}\u00ff`);
    batch.del(this.keys.instanceSwarms(tag));
    batch.zrem(this.keys.instances, tag);
    await batch.exec();
    this.options.log('info', `redis: swept instance ${tag} (${swarms.length} swarms)`);
  }

  private async rewriteMembership(): Promise<void> {
    const batch = this.cmd.pipeline();
    for (const [swarm, peer] of this.options.localMembers()) this.queueJoin(batch, swarm, peer);
    await batch.exec();
  }

  private queueJoin(batch: ReturnType<Redis['pipeline']>, swarm: string, peer: PeerId): void {
    batch.zadd(this.keys.swarm(swarm), 0, peer);
    batch.expire(this.keys.swarm(swarm), this.swarmTtlSeconds);
    batch.sadd(this.keys.instanceSwarms(this.peerIdPrefix), swarm);
  }

  join(swarm: string, peer: PeerId): void {
    const batch = this.cmd.pipeline();
    this.queueJoin(batch, swarm, peer);
    batch.exec().catch((err: Error) => this.options.log('warn', `redis: join failed: ${err.message}`));
  }

  leave(swarm: string, peer: PeerId, lastLocalMember = false): void {
    const batch = this.cmd.pipeline().zrem(this.keys.swarm(swarm), peer);
    if (lastLocalMember) batch.srem(this.keys.instanceSwarms(this.peerIdPrefix), swarm);
    batch.exec().catch((err: Error) => this.options.log('warn', `redis: leave failed: ${err.message}`));
  }

  async sample(swarm: string, count: number, exclude: PeerId): Promise<PeerId[]> {
    if (count <= 0) return [];
    const picked = (await this.cmd.zrandmember(this.keys.swarm(swarm), count + SAMPLE_SLACK)) as string[] | null;
    const out: PeerId[] = [];
    for (const peer of picked ?? []) {
      if (out.length === count) break;
      if (peer !== exclude && this.liveTags.has(peer.slice(0, TAG_LENGTH))) out.push(peer);
    }
    return out;
  }

  relay(message: RemoteMessage): boolean {
    const tag = message.to.slice(0, TAG_LENGTH);
    if (!this.available || !this.liveTags.has(tag)) return false;
    // One line per field; the payload (JSON, may hold anything) is last and taken whole.
    const head = `${message.kind}\n${message.swarm}\n${message.from}\n${message.to}`;
    const text = message.kind === 'signal' ? `${head}\n${message.payloadJson}` : head;
    this.publish(this.keys.relayChannel(tag), text);
    return true;
  }

  /** Queues a PUBLISH for this turn's pipeline (in order with every other queued one). */
  private publish(channel: string, text: string): void {
    // Never in a record: every text is built here from ids and JSON.stringify output, which
    // escapes control characters; a text that had one could forge the records after it.
    if (text.includes(RECORD_SEPARATOR)) {
      this.options.log('warn', 'redis: a message with a record separator was not sent');
      return;
    }
    if (this.publishes.size === 0) setImmediate(this.flushPublishes);
    const records = this.publishes.get(channel);
    if (records) records.push(text);
    else this.publishes.set(channel, [text]);
  }

  private readonly flushPublishes = () => {
    const publishes = this.publishes;
    this.publishes = new Map();
    if (this.closed) return;
    for (const [channel, records] of publishes)
      this.cmd
        .publish(channel, records.join(RECORD_SEPARATOR))
        .catch((err: Error) => this.options.log('warn', `redis: publish failed: ${err.message}`));
  };

  /** A relay from another instance: checked for shape (Redis is trusted, but a bug must not reach a client). */
  private deliver(text: string): void {
    if (text.startsWith('x\n')) {
      const end = text.indexOf('\n', 2);
      if (end < 0) return;
      for (const cb of this.topicListeners.get(text.slice(2, end)) ?? []) cb(text.slice(end + 1));
      return;
    }
    const [kind, swarm, from, to] = text.split('\n', 4);
    if (kind === undefined || swarm === undefined || from === undefined || to === undefined) return;
    if (!SWARM_ID_PATTERN.test(swarm) || !PEER_ID_PATTERN.test(from) || !PEER_ID_PATTERN.test(to)) return;
    let message: RemoteMessage;
    if (kind === 'signal') {
      const payloadJson = text.slice(kind.length + swarm.length + from.length + to.length + 4);
      message = { kind, swarm, from, to, payloadJson };
    } else if (kind === 'gone') message = { kind, swarm, from, to };
    else return;
    for (const cb of this.messageListeners) cb(message);
  }

  onMessage(cb: (message: RemoteMessage) => void): () => void {
    this.messageListeners.add(cb);
    return () => void this.messageListeners.delete(cb);
  }

  onAvailability(cb: (available: boolean) => void): () => void {
    this.availabilityListeners.add(cb);
    return () => void this.availabilityListeners.delete(cb);
  }

  // ---- owned names and instance messages (for extensions) --------------------------------------

  private get claimTtlMs(): number {
    return this.deadAfterMs * 3; // liveness is judged by heartbeat (LIVE_OWNER); the TTL only cleans up
  }

  /** The CLAIM script's call for `name`: taken, kept or renewed the same way from claim and renewal. */
  private claimCall(name: string) {
    return [
      CLAIM,
      2,
      this.keys.owner(name),
      this.keys.instances,
      this.deadAfterMs,
      this.peerIdPrefix,
      this.claimTtlMs,
    ] as const;
  }

  async claim(name: string): Promise<string> {
    const owner = (await this.cmd.eval(...this.claimCall(name))) as string;
    if (owner === this.peerIdPrefix) this.owned.add(name);
    return owner;
  }

  async ownerOf(name: string): Promise<string | undefined> {
    const owner = await this.cmd.eval(OWNER_OF, 2, this.keys.owner(name), this.keys.instances, this.deadAfterMs);
    return typeof owner === 'string' ? owner : undefined;
  }

  release(name: string): void {
    if (!this.owned.delete(name)) return;
    this.cmd
      .eval(RELEASE, 1, this.keys.owner(name), this.peerIdPrefix)
      .catch((err: Error) => this.options.log('warn', `redis: release failed: ${err.message}`));
  }

  /** Renews every claim (also after Redis came back empty); a name another instance took meanwhile is let go. */
  private async renewClaims(): Promise<void> {
    if (this.owned.size === 0) return;
    const names = [...this.owned];
    const batch = this.cmd.pipeline();
    for (const name of names) batch.eval(...this.claimCall(name));
    const results = (await batch.exec()) ?? [];
    results.forEach(([err, owner], i) => {
      if (!err && owner !== this.peerIdPrefix) {
        this.owned.delete(names[i]!);
        this.options.log('warn', `redis: ${names[i]} is now owned by instance ${String(owner)}`);
      }
    });
  }

  liveForMs(tag: string): number {
    const beat = this.beats.get(tag);
    if (beat === undefined || !this.available) return 0;
    const { redisMs, localMs } = this.beatsReadAt;
    return beat + this.deadAfterMs - redisMs - (performance.now() - localMs);
  }

  sendToInstance(tag: string, topic: string, text: string): boolean {
    // Not checked against liveTags: a claim may name an instance younger than our last heartbeat.
    // A message to a dead instance's channel is lost, as a relay to it would be.
    if (!this.available) return false;
    this.publish(this.keys.relayChannel(tag), `x\n${topic}\n${text}`);
    return true;
  }

  onInstanceMessage(topic: string, cb: (text: string) => void): () => void {
    let set = this.topicListeners.get(topic);
    if (!set) this.topicListeners.set(topic, (set = new Set()));
    set.add(cb);
    return () => void set.delete(cb);
  }

  onInstanceGone(cb: (tag: string) => void): () => void {
    this.goneListeners.add(cb);
    return () => void this.goneListeners.delete(cb);
  }

  /** Stops as a SIGKILL would: no sweep, no release, no word to anyone (tests of a dead instance). */
  halt(): void {
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    this.cmd.disconnect();
    this.sub.disconnect();
  }

  /** Leaves cleanly: our peers disappear from every swarm now, not after deadAfterMs. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.heartbeatTimer);
    try {
      for (const name of [...this.owned]) this.release(name);
      if (this.cmd.status === 'ready') await this.sweep(this.peerIdPrefix);
    } catch {
      /* Redis away: the others sweep us once we stop heartbeating */
    }
    this.closed = true;
    this.cmd.disconnect();
    this.sub.disconnect();
  }
}

/** Redis's own clock in ms, so instances on machines with skewed clocks agree on liveness. */
async function redisNow(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** A random tag no live or unswept instance holds (ZADD NX is the atomic claim). */
async function claimTag(redis: Redis, keys: RedisKeys): Promise<string> {
  for (let attempt = 0; attempt < 16; attempt++) {
    const tag = randomBytes(3).toString('base64url'); // 4 characters, base64url like peer ids
    if ((await redis.zadd(keys.instances, 'NX', await redisNow(redis), tag)) === 1) return tag;
  }
  throw new Error('redis: could not claim a free instance tag');
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
