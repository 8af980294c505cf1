// Runs the simulated-network tests (e2e/netsim/): each spec builds LANs, NAT routers and a TURN
// server out of network namespaces. They all live inside one namespace made here with
// `unshare --net --mount` and a tmpfs on /run/netns, so their addresses exist nowhere else and the
// namespaces vanish with it. Needs root on Linux (skipped, with a message, elsewhere).
// Extra arguments go to `playwright test`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './find-chromium.mjs';

const canRun =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  existsSync('/usr/bin/unshare') &&
  !process.env.SWARMDROP_NO_NETSIM;
if (!canRun) {
  console.log('[netsim] skipped: needs root on Linux (network namespaces); set nothing, or run as root');
  process.exit(0);
}
// iptables (the NAT routers), coturn (the TURN server) and firefox-esr (the second WebRTC stack,
// firefox.spec.ts), installed with apt-get when missing. FIREFOX_PATH names another Firefox.
const tools = ['iptables', 'turnserver', ...(process.env.FIREFOX_PATH ? [] : ['firefox-esr'])];
if (spawnSync('node', ['scripts/ensure-tools.mjs', ...tools], { stdio: 'inherit' }).status !== 0) process.exit(1);

const chromium = await findChromium();
const args = process.argv
  .slice(2)
  .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
  .join(' ');
const inside = [
  'mkdir -p /run/netns',
  'mount -t tmpfs netsim /run/netns',
  'ip link set lo up',
  `npx playwright test -c e2e/netsim/playwright.config.ts ${args}`,
].join(' && ');
console.log(`[netsim] ${chromium}, topologies inside a private network namespace`);
const result = spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', 'sh', '-c', inside], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(result.status ?? 1);
