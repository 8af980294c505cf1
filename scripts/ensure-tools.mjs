// Installs the Debian packages a test needs when their command is missing (as root, with apt-get),
// like find-chromium.mjs does for the browser. Usage: node scripts/ensure-tools.mjs redis-server ...
// Each argument is a command; PACKAGES maps it to its Debian package.
import { spawnSync } from 'node:child_process';

const PACKAGES = {
  'redis-server': 'redis-server',
  iptables: 'iptables',
  turnserver: 'coturn',
  'firefox-esr': 'firefox-esr',
};

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const missing = process.argv.slice(2).filter((command) => !has(command));
if (missing.length === 0) process.exit(0);

const unknown = missing.filter((command) => !PACKAGES[command]);
if (unknown.length) {
  console.error(`ensure-tools: no package known for ${unknown.join(', ')}`);
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  console.error(
    `ensure-tools: missing ${missing.join(', ')}; install: sudo apt-get install ${missing.map((c) => PACKAGES[c]).join(' ')}`,
  );
  process.exit(1);
}
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
console.log(`ensure-tools: installing ${missing.map((c) => PACKAGES[c]).join(' ')} with apt-get`);
spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
const ok =
  spawnSync('apt-get', ['install', '-y', '-qq', ...missing.map((c) => PACKAGES[c])], { stdio: 'inherit', env })
    .status === 0;
process.exit(ok && missing.every(has) ? 0 : 1);
