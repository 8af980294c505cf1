/**
 * Short-lived TURN credentials, the "TURN REST API" scheme coturn implements with
 * `use-auth-secret` + `static-auth-secret`: the username is `<expiry unix seconds>:<random>` and
 * the password is base64(HMAC-SHA1(secret, username)). coturn recomputes the HMAC with the same
 * secret and refuses a username whose expiry has passed, so each /config.json answer hands out a
 * credential that works for `ttlSec` and the secret itself never leaves the server.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface TurnCredential {
  username: string;
  credential: string;
}

/** The password coturn expects for `username` under `secret`. */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** A fresh credential valid until `nowMs + ttlSec`. */
export function issueTurnCredential(
  secret: string,
  ttlSec: number,
  nowMs: number = Date.now(),
  random: () => string = () => randomBytes(9).toString('base64url'),
): TurnCredential {
  const username = `${Math.floor(nowMs / 1000) + ttlSec}:${random()}`;
  return { username, credential: turnPassword(secret, username) };
}
