import { expect, test } from '@playwright/test';
import { Topology } from './topology';
import { expectReceived, makeFile, openLink, routes, sharerPage } from './people';

const KiB = 1024;
/** Downloaders, each its own machine and Chromium process (2 cores: see docs/TESTING.md). */
const CLASS_SIZE = Number(process.env.NETSIM_CLASS_SIZE ?? 6);

// A school: every student behind the school's one NAT address, the server on the internet. The
// tracker sees them all come from 203.0.113.10; its per-address limits must not lock them out.
test('a class behind one shared public address: everyone completes', async () => {
  test.setTimeout(300_000);
  const net = new Topology();
  try {
    const wan = net.segment('wan');
    const school = net.segment('school');
    const server = net.machine('server', wan, '203.0.113.1/24');
    net.router('gw', school, '10.1.0.1/16', wan, '203.0.113.10/24', 'port-preserving');
    const teacher = net.machine('teacher', school, '10.1.0.2/16', '10.1.0.1');
    const origin = await net.appServer(server);
    const file = makeFile('class-512k.bin', 512 * KiB, 171);
    const sharer = await sharerPage(await net.browser(teacher), origin, file);
    const students = [];
    for (let i = 0; i < CLASS_SIZE; i++) {
      const m = net.machine(`s${i}`, school, `10.1.1.${i + 10}/16`, '10.1.0.1');
      students.push(await openLink(await net.browser(m), sharer.link));
    }
    for (const page of students) await expectReceived(page, file, 180_000);
    // Neighbors on the same LAN: direct, never relayed.
    for (const page of students) expect((await routes(page)).filter((r) => r !== '')).not.toContain('relay');
  } finally {
    await net.close();
  }
});
