// `npm run bench:browser`: runs bench/browser.ts (or the script in BENCH_SCRIPT: bench:share) with a
// Chromium found (or installed) like the e2e tests, inside a loopback-only network namespace when
// root (WebRTC stays on 127.0.0.1).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from '../scripts/find-chromium.mjs';

const chromium = await findChromium();
// --relayed needs coturn's turnserver (installed with apt-get when missing).
if (
  process.argv.includes('--relayed') &&
  spawnSync('node', ['scripts/ensure-tools.mjs', 'turnserver'], { stdio: 'inherit' }).status !== 0
)
  process.exit(1);
const env = { ...process.env, CHROMIUM_PATH: chromium };
const args = process.argv
  .slice(2)
  .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
  .join(' ');
const cmd = `npx tsx ${process.env.BENCH_SCRIPT ?? 'bench/browser.ts'} ${args}`;
const canIsolate =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  existsSync('/usr/bin/unshare') &&
  !process.env.SWARMDROP_E2E_NO_NETNS;
const result = canIsolate
  ? spawnSync('unshare', ['--net', 'sh', '-c', `ip link set lo up && ${cmd}`], { stdio: 'inherit', env })
  : spawnSync('sh', ['-c', cmd], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
