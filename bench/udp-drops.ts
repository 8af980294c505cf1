/**
 * UDP datagrams the kernel received and dropped because a socket's receive buffer was full
 * (/proc/net/snmp, `Udp: RcvbufErrors`; Linux, counted per network namespace). WebRTC's data
 * channels run over UDP: a starved receiver (a page, or coturn relaying every byte in user space)
 * loses datagrams here, and SCTP's congestion control then slows that path down.
 */
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
