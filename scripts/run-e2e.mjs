// Runs the Playwright end-to-end tests with a Chromium found (or installed) by find-chromium.mjs.
// As root on Linux the run happens inside a fresh network namespace that has only `lo`, so WebRTC
// can't reach any real network (see docs/TESTING.md). Extra arguments go to `playwright test`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { findChromium } from './find-chromium.mjs';

/** A port that is free now (in a fresh network namespace every port is). */
function freePort() {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const chromium = await findChromium();
const env = { ...process.env, CHROMIUM_PATH: chromium, E2E_PORT: process.env.E2E_PORT ?? String(await freePort()) };
const args = process.argv
  .slice(2)
  .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
  .join(' ');
const playwright = `npx playwright test ${args}`;

const canIsolate =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  existsSync('/usr/bin/unshare') &&
  !process.env.SWARMDROP_E2E_NO_NETNS;

let result;
if (canIsolate) {
  console.log(`[e2e] ${chromium}, in a network namespace with only loopback`);
  env.SWARMDROP_E2E_NETNS = '1';
  result = spawnSync('unshare', ['--net', 'sh', '-c', `ip link set lo up && ${playwright}`], { stdio: 'inherit', env });
} else {
  console.log(`[e2e] ${chromium}, in the normal network namespace (not root, or SWARMDROP_E2E_NO_NETNS set)`);
  result = spawnSync('sh', ['-c', playwright], { stdio: 'inherit', env });
}
process.exit(result.status ?? 1);
