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

/** Extra members asked of ZRANDMEMBER, so that filtering the asker and dead instances still fills the list. */
const SAMPLE_SLACK = 16;

export class RedisBackplane implements SwarmBackplane {
  readonly peerIdPrefix: string;
  available = false;
  private readonly keys: RedisKeys;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly messageListeners = new Set<(message: RemoteMessage) => void>();
  private readonly availabilityListeners = new Set<(available: boolean) => void>();
  /** Tags of the instances that heartbeated within deadAfterMs (ours included). */
  private liveTags = new Set<string>();
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
      if (from === channel) this.deliver(text);
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
      const now = await redisNow(this.cmd);
      const readded = await this.cmd.zadd(this.keys.instances, 'NX', now, this.peerIdPrefix);
      await this.cmd.zadd(this.keys.instances, 'XX', now, this.peerIdPrefix);
      await this.cmd.pexpire(this.keys.instanceSwarms(this.peerIdPrefix), this.deadAfterMs * 10);
      if (readded === 1) await this.rewriteMembership(); // we had been declared dead and swept
      const cutoff = now - this.deadAfterMs;
      const live = await this.cmd.zrangebyscore(this.keys.instances, cutoff, '+inf');
      this.liveTags = new Set(live);
      this.liveTags.add(this.peerIdPrefix);
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
    this.cmd
      .publish(this.keys.relayChannel(tag), text)
      .catch((err: Error) => this.options.log('warn', `redis: relay failed: ${err.message}`));
    return true;
  }

  /** A relay from another instance: checked for shape (Redis is trusted, but a bug must not reach a client). */
  private deliver(text: string): void {
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

  /** Leaves cleanly: our peers disappear from every swarm now, not after deadAfterMs. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.heartbeatTimer);
    try {
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
