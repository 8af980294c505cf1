// Can Debian's firefox-esr make a WebRTC connection on this machine? (docs/TESTING.md, "Firefox")
// Two RTCPeerConnections in one headless Firefox page (driven by puppeteer-core over WebDriver
// BiDi; Playwright drives only its own patched Firefox builds) exchange candidates and open a data
// channel, in two fresh network namespaces: loopback only (as the e2e tests run) and one veth
// address with a default route (as a netsim machine). Prints the candidates and the outcome.
// Needs root and `apt-get install firefox-esr` (puppeteer-core is a devDependency).
// Usage: node scripts/firefox-ice-probe.mjs
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

async function probe() {
  const { default: puppeteer } = await import('puppeteer-core').catch(() => {
    throw new Error('puppeteer-core is missing: npm install');
  });
  const host = process.env.PROBE_HOST ?? '127.0.0.1';
  const server = createServer((_, res) => res.end('<!doctype html><title>probe</title>'));
  await new Promise((resolve) => server.listen(0, host, resolve));
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  try {
    const page = await browser.newPage();
    await page.goto(`http://${host}:${server.address().port}/`);
    const result = await page.evaluate(async () => {
      const candidates = [];
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      const pass = (to, name) => (e) => {
        if (e.candidate?.candidate) candidates.push(`${name}: ${e.candidate.candidate}`);
        if (e.candidate) void to.addIceCandidate(e.candidate);
      };
      a.onicecandidate = pass(b, 'a');
      b.onicecandidate = pass(a, 'b');
      const channel = a.createDataChannel('probe');
      const opened = new Promise((resolve) => (channel.onopen = () => resolve('open')));
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription);
      const channelState = await Promise.race([opened, new Promise((r) => setTimeout(() => r('not open'), 15_000))]);
      return { channel: channelState, ice: a.iceConnectionState, gathering: a.iceGatheringState, candidates };
    });
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.env.PROBE_INSIDE) {
  await probe();
} else {
  if (process.getuid?.() !== 0) throw new Error('needs root (unshare --net)');
  const self = new URL(import.meta.url).pathname;
  const cases = {
    'loopback only': 'ip link set lo up',
    'a veth address and a default route':
      'ip link set lo up && ip link add v0 type veth peer name v1 && ip addr add 10.9.0.1/24 dev v0 && ' +
      'ip link set v0 up && ip link set v1 up && ip route add default via 10.9.0.254 dev v0 && export PROBE_HOST=10.9.0.1',
  };
  for (const [name, setup] of Object.entries(cases)) {
    console.log(`== ${name}`);
    spawnSync('unshare', ['--net', 'sh', '-c', `${setup} && node ${self}`], {
      stdio: 'inherit',
      env: { ...process.env, PROBE_INSIDE: '1' },
    });
  }
}
