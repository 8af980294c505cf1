// Finds a Chromium for the end-to-end tests, installing one when there is none.
// Order: $CHROMIUM_PATH, Playwright's own download, a system Chromium; then install
// (Playwright's installer where the internet is reachable, `apt-get install chromium` as root).
import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

async function playwrightChromium() {
  try {
    const { chromium } = await import('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function firstExisting() {
  return SYSTEM_PATHS.find((p) => existsSync(p));
}

function tryAptInstall() {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return false;
  console.log('[e2e] no Chromium found: installing Debian chromium with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const ok = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env }).status === 0;
  // Best effort: a CJK font, so screenshots of the Traditional Chinese UI show characters, not boxes.
  spawnSync('apt-get', ['install', '-y', '-qq', 'fonts-wqy-microhei'], { stdio: 'inherit', env });
  return ok;
}

function tryPlaywrightInstall() {
  console.log('[e2e] no Chromium found: trying `npx playwright install chromium`');
  try {
    execFileSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit', timeout: 10 * 60_000 });
    return true;
  } catch {
    return false;
  }
}

export async function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
  }
  const found = (await playwrightChromium()) ?? firstExisting();
  if (found) return found;
  // Root on Debian without internet: apt first (Playwright's download would fail here).
  if (tryAptInstall() && firstExisting()) return firstExisting();
  if (tryPlaywrightInstall()) {
    const installed = await playwrightChromium();
    if (installed) return installed;
  }
  throw new Error('No Chromium found and none could be installed. Set CHROMIUM_PATH to a Chromium or Chrome binary.');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await findChromium());
}
