/**
 * Small simulated networks for the netsim specs, built from Linux network namespaces. The whole
 * thing runs inside the namespace scripts/run-netsim.mjs created (`unshare --net --mount`, tmpfs on
 * /run/netns), so every address below exists only there and nothing reaches a real network.
 *
 * - a segment is a bridge (in the runner's namespace, which has no address on it and routes nothing);
 * - a machine is a namespace with one veth on a segment (and a default route, if it has a gateway);
 * - a router is a namespace on two segments that forwards and does source NAT: `port-preserving`
 *   (Linux MASQUERADE keeps the source port: a home router, hole punching works) or `symmetric`
 *   (`--random-fully`: a new random port per destination, as carrier-grade and strict routers do);
 * - each browser is its own Chromium process inside its machine's namespace (a wrapper executable
 *   runs `ip netns exec NAME chromium`, Playwright drives it over its pipe), or a Firefox
 *   (Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi: `firefox-in-netns.mjs`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import puppeteer, { type Browser as FirefoxBrowser } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../chromium-args';

export type NatKind = 'port-preserving' | 'symmetric';

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `ip ...` in the runner's namespace, or in `ns`. */
function ip(ns: string | undefined, ...args: string[]): string {
  return ns ? run('ip', ['netns', 'exec', ns, 'ip', ...args]) : run('ip', args);
}

export function inNs(ns: string, cmd: string, args: string[]): string {
  return run('ip', ['netns', 'exec', ns, cmd, ...args]);
}

/**
 * veth names are unique for the whole run: the kernel removes a deleted namespace's veth pairs
 * asynchronously, so the next test can't reuse the previous one's names at once.
 */
let vethCount = 0;

export class Machine {
  constructor(
    readonly name: string,
    readonly address: string,
  ) {}
}

/** One network the test builds and tears down; names are short (interface names max 15 chars). */
export class Topology {
  private readonly namespaces: string[] = [];
  private readonly bridges: string[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly browsers: Browser[] = [];
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'netsim-'));

  /** A segment (Ethernet switch). */
  segment(name: string): string {
    const br = `br-${name}`;
    ip(undefined, 'link', 'add', br, 'type', 'bridge');
    ip(undefined, 'link', 'set', br, 'up');
    this.bridges.push(br);
    return br;
  }

  private namespace(name: string): void {
    run('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
    ip(name, 'link', 'set', 'lo', 'up');
  }

  /** Plugs namespace `ns` into `segment` as interface `ifname` with `cidr` (e.g. 10.0.0.2/24). */
  private plug(ns: string, segment: string, ifname: string, cidr: string): void {
    const outer = `v${vethCount++}`;
    ip(undefined, 'link', 'add', outer, 'type', 'veth', 'peer', 'name', `${outer}p`);
    ip(undefined, 'link', 'set', `${outer}p`, 'netns', ns);
    ip(ns, 'link', 'set', `${outer}p`, 'name', ifname);
    ip(ns, 'addr', 'add', cidr, 'dev', ifname);
    ip(ns, 'link', 'set', ifname, 'up');
    ip(undefined, 'link', 'set', outer, 'master', segment);
    ip(undefined, 'link', 'set', outer, 'up');
  }

  /** A machine on `segment` at `cidr`; `gateway` gives it a default route. */
  machine(name: string, segment: string, cidr: string, gateway?: string): Machine {
    this.namespace(name);
    this.plug(name, segment, 'eth0', cidr);
    if (gateway) ip(name, 'route', 'add', 'default', 'via', gateway);
    return new Machine(name, cidr.split('/')[0]!);
  }

  /** A NAT router between `inside` (its LAN address `insideCidr`) and `outside` (`outsideCidr`). */
  router(
    name: string,
    inside: string,
    insideCidr: string,
    outside: string,
    outsideCidr: string,
    nat: NatKind,
  ): Machine {
    this.namespace(name);
    this.plug(name, inside, 'lan0', insideCidr);
    this.plug(name, outside, 'wan0', outsideCidr);
    inNs(name, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    const masquerade = ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE'];
    inNs(name, 'iptables', nat === 'symmetric' ? [...masquerade, '--random-fully'] : masquerade);
    // A home router's firewall: unsolicited packets from outside are dropped. This also matters for
    // hole punching: Linux keeps a conntrack entry for an accepted unsolicited packet, and that
    // entry would make MASQUERADE pick a different port for the peer's own outgoing packet later.
    // A dropped packet's entry is never confirmed.
    for (const chain of ['INPUT', 'FORWARD'])
      inNs(name, 'iptables', ['-A', chain, '-i', 'wan0', '-m', 'conntrack', '--ctstate', 'NEW,INVALID', '-j', 'DROP']);
    return new Machine(name, outsideCidr.split('/')[0]!);
  }

  /** Drops multicast DNS on a machine (a Wi-Fi that filters multicast). */
  dropMdns(m: Machine): void {
    for (const chain of ['INPUT', 'OUTPUT'])
      inNs(m.name, 'iptables', ['-A', chain, '-p', 'udp', '--dport', '5353', '-j', 'DROP']);
  }

  /** Counts the bytes a machine receives (iptables counters), or only TCP ones; read with `receivedBytes`. */
  countBytes(m: Machine, proto?: 'tcp'): void {
    inNs(m.name, 'iptables', ['-A', 'INPUT', '-i', 'eth0', ...(proto ? ['-p', proto] : [])]);
  }

  receivedBytes(m: Machine, proto?: 'tcp'): number {
    const out = inNs(m.name, 'iptables', ['-nvx', '-L', 'INPUT']);
    // Counting rules have no target: `pkts bytes prot opt in ...`; iptables prints the protocol as a
    // number (0 = all, 6 = tcp) or, in older versions, a name.
    const prot = proto ? ['6', 'tcp'] : ['0', 'all'];
    const rule = out
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((f) => f[4] === 'eth0' && prot.includes(f[2]!));
    return rule ? Number(rule[1]) : 0;
  }

  /** Drops UDP to `port` on a machine (a firewall that lets only TCP through to it). */
  dropUdpTo(m: Machine, port: number): void {
    inNs(m.name, 'iptables', ['-I', 'INPUT', '-p', 'udp', '--dport', String(port), '-j', 'DROP']);
  }

  /** Starts a process in `m`'s namespace; resolves once a line of its output matches `ready`. */
  async start(
    m: Machine,
    cmd: string,
    args: string[],
    env: Record<string, string>,
    ready: RegExp,
  ): Promise<ChildProcess> {
    const child = spawn('ip', ['netns', 'exec', m.name, cmd, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.children.push(child);
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${cmd} in ${m.name} not ready: ${seen.slice(-2000)}`)), 60_000);
      const onData = (d: Buffer) => {
        seen += d.toString();
        if (ready.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`${cmd} in ${m.name} exited ${code}: ${seen.slice(-2000)}`)));
    });
    return child;
  }

  /** The app server (`npm start`'s tracker + SPA) on `m`, port 8080 unless told. */
  async appServer(m: Machine, env: Record<string, string> = {}): Promise<string> {
    const port = env.PORT ?? '8080';
    await this.start(
      m,
      'npx',
      ['tsx', 'signaling/main.ts'],
      { PORT: port, HOST: '0.0.0.0', ...env },
      /Swarmdrop is running/,
    );
    return `http://${m.address}:${port}`;
  }

  /**
   * coturn with the TURN REST scheme (`use-auth-secret`) on `m`, UDP and TCP 3478, as docs/DEPLOY.md
   * starts it. The URL names no transport: the app offers it over UDP and TCP.
   */
  async coturn(m: Machine, secret: string): Promise<string> {
    await this.start(
      m,
      'turnserver',
      [
        '-n', // no config file
        '--log-file=stdout',
        '--listening-ip',
        m.address,
        '--relay-ip',
        m.address,
        '--listening-port',
        '3478',
        '--use-auth-secret',
        `--static-auth-secret=${secret}`,
        '--realm=swarmdrop.test',
        '--no-tls',
        '--no-dtls',
        '--no-cli',
        '--min-port=49152',
        '--max-port=49500',
        '--fingerprint',
      ],
      {},
      /listener opened on|IPv4\. UDP listener opened|Total (General|UDP) servers/,
    );
    return `turn:${m.address}:3478`;
  }

  /** A Chromium process living in `m`'s namespace. */
  async browser(m: Machine): Promise<Browser> {
    const wrapper = join(this.dir, `chromium-${m.name}`);
    const real = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${m.name} ${real} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const browser = await chromium.launch({ executablePath: wrapper, args: CHROMIUM_ARGS });
    this.browsers.push(browser);
    return browser;
  }

  /**
   * A Firefox process living in `m`'s namespace: the system's firefox-esr (`FIREFOX_PATH`), driven by
   * puppeteer-core over WebDriver BiDi. Playwright drives only its own patched Firefox (a download
   * this machine can't make), and its BiDi client needs commands Firefox 153 ESR lacks. BiDi runs
   * over a WebSocket on Firefox's loopback, which firefox-in-netns.mjs carries out of the namespace.
   * Downloads land in `downloadDir` without a prompt.
   */
  async firefox(m: Machine): Promise<{ browser: FirefoxBrowser; downloadDir: string }> {
    const wrapper = join(this.dir, `firefox-${m.name}`);
    const real = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
    const bridge = fileURLToPath(new URL('./firefox-in-netns.mjs', import.meta.url));
    writeFileSync(wrapper, `#!/bin/sh\nexec ${process.execPath} ${bridge} ${m.name} ${real} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const downloadDir = mkdtempSync(join(this.dir, `downloads-${m.name}-`));
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: wrapper,
      headless: true,
      extraPrefsFirefox: {
        ...FIREFOX_PREFS,
        'browser.download.folderList': 2,
        'browser.download.dir': downloadDir,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
      },
    });
    this.closers.push(() => browser.close());
    return { browser, downloadDir };
  }

  async close(): Promise<void> {
    await Promise.all(this.browsers.map((b) => b.close().catch(() => undefined)));
    await Promise.all(this.closers.map((close) => close().catch(() => undefined)));
    for (const c of this.children) {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const ns of this.namespaces) {
      try {
        run('ip', ['netns', 'pids', ns])
          .split('\n')
          .filter(Boolean)
          .forEach((pid) => process.kill(Number(pid), 'SIGKILL'));
      } catch {
        /* empty */
      }
      attempt(() => run('ip', ['netns', 'del', ns]));
    }
    for (const br of this.bridges) attempt(() => ip(undefined, 'link', 'del', br));
  }
}

/** Firefox's preferences for a netsim machine: no attempt to reach the internet. */
const FIREFOX_PREFS = {
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'network.captive-portal-service.enabled': false,
};

/** Teardown goes on past one failure, so the next test finds names free. */
function attempt(step: () => unknown): void {
  try {
    step();
  } catch (err) {
    console.warn(`netsim teardown: ${(err as Error).message}`);
  }
}
