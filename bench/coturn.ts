/**
 * coturn for bench:browser's relayed cases: on 127.0.0.1 with the TURN REST scheme
 * (`use-auth-secret`), UDP and TCP on 3478, as docs/DEPLOY.md starts it (Debian's `coturn`;
 * `npm run bench:browser -- --relayed` installs it). For an A/B against another build,
 * BENCH_TURNSERVER names its binary and BENCH_TURNSERVER_ARGS adds flags (space-separated), e.g.
 * `--sock-buf-size=2097152` of coturn >= 4.10.
 */
import { spawn } from 'node:child_process';

export interface TurnConfig {
  urls: string[];
  secret: string;
  ttlSec: number;
}

export interface Coturn {
  /** The URL as DEPLOY.md writes it (no transport: the tracker offers it over UDP and TCP). */
  turn: TurnConfig;
  /** The same server reached over TCP only (the relayed pair over TURN/TCP). */
  tcpOnly: TurnConfig;
  pid: number | undefined;
  close(): void;
}

export async function startCoturn(): Promise<Coturn> {
  const secret = 'bench-secret';
  const extra = (process.env.BENCH_TURNSERVER_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(
    process.env.BENCH_TURNSERVER ?? 'turnserver',
    [
      '-n',
      '--log-file=stdout',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      '--listening-port=3478',
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=swarmdrop.bench',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--allow-loopback-peers',
      '--fingerprint',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/UDP listener opened|Total (General|UDP) servers/.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`turnserver exited (${code}): ${out.slice(-500)}`)));
  });
  const config = (url: string) => ({ urls: [url], secret, ttlSec: 3600 });
  return {
    turn: config('turn:127.0.0.1:3478'),
    tcpOnly: config('turn:127.0.0.1:3478?transport=tcp'),
    pid: child.pid,
    close: () => child.kill(),
  };
}
