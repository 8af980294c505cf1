/**
 * Chromium's flags for every browser the tests and benchmarks launch: headless as root, and no
 * attempt to reach the internet at start (docs/TESTING.md). Loopback WebRTC needs one more flag,
 * added where it applies.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** WebRTC between contexts over 127.0.0.1 (also needs the camera/microphone grant: e2e/fixtures.ts). */
export const LOOPBACK_WEBRTC_ARG = '--allow-loopback-in-peer-connection';
