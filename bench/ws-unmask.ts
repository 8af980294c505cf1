/**
 * `npx tsx bench/ws-unmask.ts`: what unmasking one client frame costs the server, in `ws`'s
 * JavaScript fallback against the optional native `bufferutil` (which `ws` uses for frames of 32
 * bytes or more when it loads). Not a test. A ~330-byte frame (a relayed ICE candidate),
 * 2,000,000 unmasks each, alternating, 3 rounds; prints one JSON line of medians (ns per frame).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** ws's own fallback (ws/lib/buffer-util.js, `_unmask`), copied: ws does not export it. */
function jsUnmask(buffer: Buffer, mask: Buffer): void {
  for (let i = 0; i < buffer.length; i++) buffer[i]! ^= mask[i & 3]!;
}
let native: ((buffer: Buffer, mask: Buffer) => void) | undefined;
try {
  native = (require('bufferutil') as { unmask: (buffer: Buffer, mask: Buffer) => void }).unmask;
} catch {
  native = undefined;
}
const N = 2_000_000;
const frame = Buffer.alloc(330, 0x41);
const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
const time = (f: (b: Buffer, m: Buffer) => void): number => {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) f(frame, mask);
  return Number(process.hrtime.bigint() - t) / N;
};
const js: number[] = [];
const nat: number[] = [];
for (let r = 0; r < 3; r++) {
  js.push(time(jsUnmask));
  if (native) nat.push(time(native));
}
const median = (xs: number[]) =>
  xs.length ? Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! * 10) / 10 : null;
console.log(
  JSON.stringify({
    bench: 'ws-unmask',
    frameBytes: frame.length,
    jsNsPerFrame: median(js),
    bufferutilNsPerFrame: median(nat),
    bufferutilLoaded: native !== undefined,
  }),
);
