import { defineConfig } from '@playwright/test';

// Run through scripts/run-netsim.mjs (npm run test:netsim): each spec builds its own network and
// launches its own Chromium processes and servers inside it (e2e/netsim/topology.ts).
export default defineConfig({
  testDir: '.',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
});
