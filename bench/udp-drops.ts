/**
 * UDP datagrams the kernel received and dropped because a socket's receive buffer was full
 * (/proc/net/snmp, `Udp: RcvbufErrors`; Linux, counted per network namespace). WebRTC's data
 * channels run over UDP: a starved receiver (a page, or coturn relaying every byte in user space)
 * loses datagrams here, and SCTP's congestion control then slows that path down.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface UdpCounters {
  received: number;
  bufferDrops: number;
}

function read(): UdpCounters | undefined {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp: '));
    const names = lines[0]!.split(/\s+/).slice(1);
    const values = lines[1]!.split(/\s+/).slice(1).map(Number);
    const at = (name: string) => values[names.indexOf(name)] ?? 0;
    return { received: at('InDatagrams'), bufferDrops: at('RcvbufErrors') };
  } catch {
    return undefined;
  }
}

/** Starts counting; the returned function gives the datagrams received and dropped since then. */
export function udpSince(): () => UdpCounters | undefined {
  const start = read();
  return () => {
    const end = read();
    if (!start || !end) return undefined;
    return { received: end.received - start.received, bufferDrops: end.bufferDrops - start.bufferDrops };
  };
}

export function formatUdp(c: UdpCounters | undefined): string {
  if (!c) return 'UDP ?';
  const share = c.received ? ` (${((c.bufferDrops / (c.received + c.bufferDrops)) * 100).toFixed(2)} %)` : '';
  return `UDP ${c.received} datagrams received, ${c.bufferDrops} dropped on full receive buffers${share}`;
}

/**
 * Datagrams dropped so far per process and socket receive-buffer size, summed over its open UDP
 * sockets (`ss -uamnp`: the `rb` and `d` fields of each socket's skmem), e.g.
 * `{ "chromium rb208K": 12, "turnserver rb128K": 830 }`: which receiver lost them, and with how
 * much room (coturn 4.6 sets 64 KiB, i.e. rb128K, on its relay and per-client sockets).
 * Read before the sockets close: a closed socket's count is gone.
 */
export function dropsByProcess(): Record<string, number> {
  const out = spawnSync('ss', ['-uamnp'], { encoding: 'utf8' }).stdout ?? '';
  return parseDrops(out);
}

/** `ss -uamnp` text to drops per "process rbNK" (sockets that dropped nothing are left out). */
export function parseDrops(ssOutput: string): Record<string, number> {
  const drops: Record<string, number> = {};
  let process = '';
  for (const line of ssOutput.split('\n')) {
    if (/^\S/.test(line)) process = /users:\(\("([^"]+)"/.exec(line)?.[1] ?? ''; // a socket's own line
    const m = /skmem:\([^)]*\brb(\d+)[^)]*\bd(\d+)\)/.exec(line);
    if (!m || !process || m[2] === '0') continue;
    const key = `${process} rb${Math.round(Number(m[1]) / 1024)}K`;
    drops[key] = (drops[key] ?? 0) + Number(m[2]);
  }
  return drops;
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat; undefined off Linux. */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}
