/**
 * Private shares against a recording tracker: the real tracker, run with `--record-frames` (every
 * frame it receives and sends, and every HTTP request, written to a file) during a real three-peer
 * swarm. The recording must hold neither the file's name, its size, its info hash, nor the link
 * secret or any key derived from it, in any encoding the app uses. One peer holding the link
 * uploads tampered ciphertext: it is banned, and the download completes with the right SHA-256.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { base64, base64urlnopad } from '@scure/base';
import { describeShare, pickHasher } from '../src/engine';
import { chooseChunkSize } from '../src/protocol/metadata';
import { chunkCounter } from '../src/protocol/share-cipher';
import { parseLinkSecret, shareKeys } from '../src/protocol/share-keys';
import { makeFile, neighborStats, newApp, share, shownSha, waitComplete } from './app';
import { startOwnServer } from './own-server';

/** An odd size, so its decimal and hex forms are unlikely to occur by chance. */
const SIZE = 3 * 1024 * 1024 + 12_345;
const NAME = 'quarterly-plan-zx7731.bin';

/** The info hash the sharer's browser computed: chunks encrypted under the link's chunk key, then hashed. */
async function infoHashOf(content: Buffer, chunkKey: Uint8Array, type: string): Promise<Uint8Array> {
  const chunkSize = chooseChunkSize(content.length);
  const count = Math.ceil(content.length / chunkSize);
  const hashes = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) {
    const c = createCipheriv('aes-256-ctr', chunkKey, chunkCounter(i));
    const ct = Buffer.concat([c.update(content.subarray(i * chunkSize, (i + 1) * chunkSize)), c.final()]);
    hashes.set(createHash('sha256').update(ct).digest(), i * 32);
  }
  const { infoHash } = await describeShare(
    [{ name: NAME, size: content.length, type }],
    chunkSize,
    hashes,
    pickHasher().hasher,
  );
  return infoHash;
}

/** Every way the app writes bytes: raw, hex (both cases), base64 (padded or not), base64url. */
function encodings(label: string, bytes: Uint8Array): Array<[string, Buffer]> {
  const hex = Buffer.from(bytes).toString('hex');
  const b64 = base64.encode(bytes);
  return [
    [`${label} raw`, Buffer.from(bytes)],
    [`${label} hex`, Buffer.from(hex)],
    [`${label} HEX`, Buffer.from(hex.toUpperCase())],
    [`${label} base64`, Buffer.from(b64.replace(/=+$/, ''))],
    [`${label} base64url`, Buffer.from(base64urlnopad.encode(bytes))],
  ];
}

function sizeForms(n: number): Array<[string, Buffer]> {
  const u32 = Buffer.alloc(4);
  const u64 = Buffer.alloc(8);
  const out: Array<[string, Buffer]> = [
    ['size decimal', Buffer.from(String(n))],
    ['size hex', Buffer.from(n.toString(16))],
    ['size HEX', Buffer.from(n.toString(16).toUpperCase())],
  ];
  u32.writeUInt32BE(n);
  out.push(['size u32 BE', Buffer.from(u32)]);
  u32.writeUInt32LE(n);
  out.push(['size u32 LE', Buffer.from(u32)]);
  u64.writeBigUInt64BE(BigInt(n));
  out.push(['size u64 BE', Buffer.from(u64)]);
  u64.writeBigUInt64LE(BigInt(n));
  out.push(['size u64 LE', Buffer.from(u64)]);
  return out;
}

test('a recording tracker learns neither name, size, info hash nor any key; a tampering link holder is banned', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-recording-'));
  const recording = join(dir, 'frames.bin');
  const server = await startOwnServer({ TRACKER_RECORD_FRAMES: recording });
  try {
    const file = makeFile(NAME, SIZE, 1616);
    // The sharer's upload is capped, so the last downloader also fetches from the tamperer.
    const sharer = await newApp(browser, server.baseURL, { uploadLimit: 512 * 1024 });
    const link = await share(sharer.page, file, server.baseURL);
    expect(link.startsWith(`${server.baseURL}/#/s/`)).toBe(true);
    const tamperer = await newApp(browser, server.baseURL, { tamper: true });
    await tamperer.page.goto(link);
    await waitComplete(tamperer.page);
    const downloader = await newApp(browser, server.baseURL);
    await downloader.page.goto(link);
    await waitComplete(downloader.page);
    expect(await shownSha(downloader.page)).toBe(file.sha256);
    const rows = await neighborStats(downloader.page);
    expect(rows.filter((r) => r.state === 'banned')).toHaveLength(1);
    await Promise.all([sharer, tamperer, downloader].map((p) => p.context.close()));
    await server.stop();

    const secretText = link.split('/').pop()!;
    const secret = parseLinkSecret(secretText);
    const keys = shareKeys(secret);
    const content = readFileSync(file.path);
    const candidates = await Promise.all(
      ['application/octet-stream', ''].map((type) => infoHashOf(content, keys.chunkKey, type)),
    );
    const infoHash = candidates.find((h) => Buffer.from(h.subarray(0, 16)).equals(Buffer.from(keys.infoHashPrefix)));
    expect(infoHash, 'the info hash recomputed here is the one the link names').toBeDefined();

    const frames = readFileSync(recording);
    // The recording works: it holds the swarm id the peers announced, and signalling.
    expect(frames.includes(Buffer.from(keys.swarmId))).toBe(true);
    expect(frames.includes(Buffer.from('"type":"announce"'))).toBe(true);
    expect(frames.includes(Buffer.from('GET /config.json'))).toBe(true);

    const needles: Array<[string, Buffer]> = [
      ['name', Buffer.from(NAME)],
      ['name stem', Buffer.from(NAME.replace(/\.bin$/, ''))],
      ...sizeForms(SIZE),
      ...encodings('info hash', infoHash!),
      ...encodings('info hash prefix', infoHash!.subarray(0, 16)),
      ...encodings('link secret', secret),
      ...encodings('seed', secret.subarray(0, 16)),
      ...encodings('chunk key', keys.chunkKey),
      ...encodings('metadata key', keys.metadataKey),
      ...encodings('auth key', keys.authKey),
      ['link secret as text', Buffer.from(secretText)],
    ];
    const found = needles.filter(([, bytes]) => frames.includes(bytes)).map(([label]) => label);
    expect(found).toEqual([]);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
