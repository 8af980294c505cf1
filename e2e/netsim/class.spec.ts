import { expect, test, type Page } from '@playwright/test';
import { Topology, type Machine } from './topology';
import { expectReceived, makeFile, openLink, routes, sharerPage } from './people';
import { progress } from '../app';

const KiB = 1024;
/** Downloaders: a real class's size (`NETSIM_CLASS_SIZE` changes it: docs/TESTING.md). */
const CLASS_SIZE = Number(process.env.NETSIM_CLASS_SIZE ?? 20);
/**
 * Students per lab machine: each machine is one Chromium process and each student a context of it
 * (their own IndexedDB and connections), so a class of 20 costs 4 browsers, not 20, on 2 cores;
 * students on different machines still meet over the school LAN.
 */
const PER_MACHINE = 5;

/** One line per page for the log: progress, connections up, connection types, failed callers. */
async function summary(pages: Page[]): Promise<string> {
  const lines = await Promise.all(
    pages.map(async (page, i) => {
      const view = page.getByTestId('share-view');
      const connected = (await view.count()) ? await view.getAttribute('data-connected') : '-';
      const unreachable = page.getByTestId('unreachable');
      const failing = (await unreachable.count()) ? await unreachable.getAttribute('data-count') : '0';
      const kinds = (await routes(page)).join(',');
      return `s${i}: ${await progress(page)} %, ${connected} connected [${kinds}], ${failing} failing to reach it`;
    }),
  );
  return lines.join('\n');
}

// A school: every student behind the school's one NAT address, the server on the internet. The
// tracker and its STUN server see them all come from 203.0.113.10; their per-address limits must
// not lock them out, and neighbors are labelled as what they are: on the same LAN.
test('a class behind one shared public address: everyone completes, direct on the LAN', async () => {
  test.setTimeout(120_000 + CLASS_SIZE * 15_000);
  const net = new Topology();
  try {
    const wan = net.segment('wan');
    const school = net.segment('school');
    const server = net.machine('server', wan, '203.0.113.1/24');
    net.router('gw', school, '10.1.0.1/16', wan, '203.0.113.10/24', 'port-preserving');
    const teacher = net.machine('teacher', school, '10.1.0.2/16', '10.1.0.1');
    const origin = await net.appServer(server);
    const file = makeFile('class-256k.bin', 256 * KiB, 171);
    const sharer = await sharerPage(await net.browser(teacher), origin, file);
    const labs: Machine[] = [];
    for (let i = 0; i < Math.ceil(CLASS_SIZE / PER_MACHINE); i++)
      labs.push(net.machine(`lab${i}`, school, `10.1.1.${i + 10}/16`, '10.1.0.1'));
    const browsers = await Promise.all(labs.map((m) => net.browser(m)));
    const students: Page[] = [];
    for (let i = 0; i < CLASS_SIZE; i++) students.push(await openLink(browsers[i % browsers.length]!, sharer.link));
    try {
      for (const page of students) await expectReceived(page, file, 60_000 + CLASS_SIZE * 6_000);
    } finally {
      console.log(`class of ${CLASS_SIZE}:\n${await summary(students)}`);
    }
    // Neighbors behind the same NAT talk over the LAN: never relayed, never "through NAT"; and
    // nobody is told that people fail to reach them (a full peer's unanswered call is no failure).
    // A label is settled once the peer's srflx candidate has come (it may trickle in after the
    // connection is up, and the label is read again then).
    for (const page of [sharer.page, ...students]) {
      const labels = async () => (await routes(page)).filter((r) => r !== '');
      await expect.poll(async () => (await labels()).length).toBeGreaterThan(0);
      await expect.poll(async () => (await labels()).filter((r) => r !== 'lan'), { timeout: 10_000 }).toEqual([]);
      await expect(page.getByTestId('unreachable')).toHaveCount(0);
    }
  } finally {
    await net.close();
  }
});
