/**
 * What the machine did during a bench phase, read from /proc every `stepMs`: per-CPU steal time
 * (a VM's vCPU waiting for the host), the server process's CPU time and context switches. Cheap
 * (three small file reads per step) and Linux-only: elsewhere every figure is null.
 * Why: a relay's tail latency can be the server's own stalls or CPU the hypervisor took away;
 * only these counters tell the two apart.
 */
import { readFileSync } from 'node:fs';

/** /proc/stat and /proc/PID/stat count in clock ticks; 100 per second on every Linux we target. */
const TICK_MS = 10;

export interface ProbeSample {
  /** ms since the probe started */
  t: number;
  /** per CPU: cumulative steal, idle (+iowait), softirq (the loopback's receive work) and all ticks */
  cpus: { steal: number; idle: number; softirq: number; total: number }[];
  /** the server's cumulative user+system ticks */
  serverTicks: number;
  voluntary: number;
  involuntary: number;
  /** this process's (the load generator's) cumulative user+system ticks */
  generatorTicks: number;
  /** bytes waiting in the kernel, every `queueEvery` steps (when asked): unread by the server /
   * unread by the generator (receive queues of each side's sockets to and from `port`) */
  queues?: { serverUnread: number; generatorUnread: number };
}

/** Receive-queue bytes on loopback TCP sockets of one port, from /proc/net/tcp (IPv4). */
function readQueues(port: number): { serverUnread: number; generatorUnread: number } {
  const hexPort = ':' + port.toString(16).toUpperCase().padStart(4, '0');
  let serverUnread = 0;
  let generatorUnread = 0;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5 || f[3] !== '01') continue; // established only
    const rx = parseInt(f[4]!.split(':')[1]!, 16);
    if (f[1]!.endsWith(hexPort)) serverUnread += rx;
    else if (f[2]!.endsWith(hexPort)) generatorUnread += rx;
  }
  return { serverUnread, generatorUnread };
}

function readCpus(): ProbeSample['cpus'] {
  const cpus: ProbeSample['cpus'] = [];
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    if (!/^cpu\d/.test(line)) continue;
    // user nice system idle iowait irq softirq steal guest guest_nice
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    cpus.push({
      steal: f[7] ?? 0,
      idle: (f[3] ?? 0) + (f[4] ?? 0),
      softirq: f[6] ?? 0,
      total: f.slice(0, 8).reduce((a, b) => a + b, 0),
    });
  }
  return cpus;
}

function ticksOf(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  return Number(f[11]) + Number(f[12]);
}

function readProcess(pid: number): Pick<ProbeSample, 'serverTicks' | 'voluntary' | 'involuntary'> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const num = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return {
    serverTicks: ticksOf(pid),
    voluntary: num('voluntary_ctxt_switches'),
    involuntary: num('nonvoluntary_ctxt_switches'),
  };
}

export interface ProbeFigures {
  /** steal as a share of each CPU's ticks over the phase, in % */
  stealPct: number[];
  /** the largest steal share of any CPU in any one step, in % */
  stealMaxStepPct: number;
  /** the server's CPU over the phase, % of one core */
  serverCpuPct: number;
  /** per CPU: the share neither idle, nor softirq, nor stolen, in % (subtract the server's own
   * share on its CPU to get what other processes took there) */
  busyPct: number[];
  serverVoluntarySwitches: number;
  serverInvoluntarySwitches: number;
  samples: ProbeSample[];
}

export class Probe {
  private readonly samples: ProbeSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;

  /** `queues`: also read the socket queues of `queues.port` every `queues.every` steps (costs a
   * few ms of the generator's CPU per read with 10,000 sockets, so only for a timeline). */
  constructor(
    private readonly pid: number,
    private readonly stepMs = 100,
    private readonly queues?: { port: number; every: number },
  ) {}

  private sample(): void {
    try {
      const n = this.samples.length;
      const queues = this.queues && n % this.queues.every === 0 ? readQueues(this.queues.port) : undefined;
      this.samples.push({
        t: performance.now() - this.t0,
        cpus: readCpus(),
        ...readProcess(this.pid),
        generatorTicks: ticksOf('self'),
        queues,
      });
    } catch {
      // not Linux, or the process is gone: no figures
    }
  }

  start(): void {
    this.t0 = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.stepMs);
  }

  stop(): ProbeFigures | null {
    clearInterval(this.timer);
    this.sample();
    const s = this.samples;
    if (s.length < 2) return null;
    const first = s[0]!;
    const last = s.at(-1)!;
    const share = (a: ProbeSample, b: ProbeSample, cpu: number) => {
      const total = b.cpus[cpu]!.total - a.cpus[cpu]!.total;
      return total > 0 ? ((b.cpus[cpu]!.steal - a.cpus[cpu]!.steal) / total) * 100 : 0;
    };
    let stealMaxStepPct = 0;
    for (let i = 1; i < s.length; i++)
      for (let c = 0; c < first.cpus.length; c++)
        stealMaxStepPct = Math.max(stealMaxStepPct, share(s[i - 1]!, s[i]!, c));
    return {
      stealPct: first.cpus.map((_, c) => share(first, last, c)),
      stealMaxStepPct,
      busyPct: first.cpus.map((c, k) => {
        const e = last.cpus[k]!;
        const total = e.total - c.total;
        return total > 0
          ? ((total - (e.idle - c.idle) - (e.softirq - c.softirq) - (e.steal - c.steal)) / total) * 100
          : 0;
      }),
      serverCpuPct: ((last.serverTicks - first.serverTicks) * TICK_MS * 100) / (last.t - first.t),
      serverVoluntarySwitches: last.voluntary - first.voluntary,
      serverInvoluntarySwitches: last.involuntary - first.involuntary,
      samples: s,
    };
  }
}
