import { describe, expect, it } from 'vitest';
import { parseDrops } from './udp-drops.ts';

describe('parseDrops (ss -uamnp)', () => {
  it('sums drops per process and receive-buffer size, leaving out sockets that dropped nothing', () => {
    const ss = [
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
      'UNCONN 0      0          127.0.0.1:3478      0.0.0.0:*    users:(("turnserver",pid=7,fd=20))',
      '\t skmem:(r0,rb4194304,t0,tb4194304,f0,w0,o0,bl0,d3)',
      'ESTAB  0      0          127.0.0.1:49160   127.0.0.1:49170 users:(("turnserver",pid=7,fd=31))',
      '\t skmem:(r0,rb131072,t0,tb131072,f0,w0,o0,bl0,d800)',
      'ESTAB  0      0          127.0.0.1:49161   127.0.0.1:49171 users:(("turnserver",pid=7,fd=32))',
      '\t skmem:(r0,rb131072,t0,tb131072,f0,w0,o0,bl0,d30)',
      'UNCONN 0      0          127.0.0.1:40000      0.0.0.0:*    users:(("chromium",pid=9,fd=40))',
      '\t skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)',
    ].join('\n');
    expect(parseDrops(ss)).toEqual({ 'turnserver rb4096K': 3, 'turnserver rb128K': 830 });
  });

  it('gives nothing for no sockets or an unreadable line', () => {
    expect(parseDrops('')).toEqual({});
    expect(parseDrops('UNCONN 0 0 x users:(("a",pid=1,fd=2))\n skmem:(garbage)')).toEqual({});
  });
});
