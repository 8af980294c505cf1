import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, LOOPBACK_WEBRTC_ARG } from './e2e/chromium-args';

// scripts/run-e2e.mjs picks a free port; the config is loaded by several processes, so it must not.
const port = Number(process.env.E2E_PORT ?? 18080);
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  testIgnore: 'netsim/**', // their own runner: scripts/run-netsim.mjs
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1, // 2 cores: several browser contexts per test already fill them
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH,
      args: [
        ...CHROMIUM_ARGS,
        LOOPBACK_WEBRTC_ARG,
        // A plain-http, non-secure origin like a LAN address, mapped to loopback.
        '--host-resolver-rules=MAP classroom.test 127.0.0.1',
      ],
    },
  },
  webServer: {
    command: 'npx tsx signaling/main.ts',
    url: `${baseURL}/healthz`,
    // No built-in STUN here: these tests connect over loopback host candidates (camera grant), and a
    // context without the grant must still gather nothing (e2e/fallbacks.spec.ts). insecure.spec.ts
    // and e2e/netsim/ run servers with STUN on.
    env: { PORT: String(port), HOST: '127.0.0.1', STUN_PORT: '0' },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
