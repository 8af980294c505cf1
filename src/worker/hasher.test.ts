import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileHashes } from './hasher';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const nodeHex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Deterministic bytes (no all-zero input that a broken block schedule could still get right). */
function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe.each([
  ['wasm', {}],
  ['js', { forceJs: true }],
] as const)('fileHashes (%s)', (kind, opts) => {
  it('uses the hasher it says', async () => {
    expect((await fileHashes(1, opts)).kind).toBe(kind);
  });

  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('FIPS 180-2 vector %j', async (text, hex) => {
    const h = await fileHashes(1, opts);
    if (text) h.update(0, utf8(text));
    expect(h.hexes()).toEqual([hex]);
  });

  it('a million "a"s, fed in uneven pieces (FIPS 180-2 long vector)', async () => {
    const a = new Uint8Array(1_000_000).fill(0x61);
    const h = await fileHashes(1, opts);
    for (let at = 0, step = 1; at < a.length; at += step, step = (step * 7 + 3) % 65_537)
      h.update(0, a.subarray(at, at + step));
    expect(h.hexes()).toEqual(['cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0']);
  });

  it('chunked input gives the one-shot digest, at every split around the 64-byte block', async () => {
    const data = bytes(3 * 64 + 17);
    const whole = nodeHex(data);
    for (let split = 0; split <= data.length; split++) {
      const h = await fileHashes(1, opts);
      h.update(0, data.subarray(0, split));
      h.update(0, data.subarray(split));
      expect(h.hexes()[0], `split at ${split}`).toBe(whole);
    }
  });

  it('several files in order through one hasher, an empty or never-fed file hashing as empty', async () => {
    const files = [bytes(100_000, 2), new Uint8Array(0), bytes(5, 3), new Uint8Array(0), bytes(1 << 20, 4)];
    const h = await fileHashes(files.length, opts);
    files.forEach((f, k) => {
      for (let at = 0; at < f.length; at += 40_000) h.update(k, f.subarray(at, at + 40_000));
    });
    expect(h.hexes()).toEqual(files.map(nodeHex));
  });

  it('refuses bytes of an earlier file, a file past the end and bytes after the digests', async () => {
    const h = await fileHashes(3, opts);
    h.update(1, utf8('b'));
    expect(() => h.update(0, utf8('a'))).toThrow(RangeError);
    expect(() => h.update(3, utf8('d'))).toThrow(RangeError);
    h.update(2, utf8('c'));
    expect(h.hexes()).toEqual([nodeHex(new Uint8Array(0)), nodeHex(utf8('b')), nodeHex(utf8('c'))]);
    expect(() => h.update(2, utf8('c'))).toThrow(RangeError);
  });
});

it('falls back to pure JS, same digests, when WebAssembly cannot be compiled (a CSP without wasm-unsafe-eval)', async () => {
  const real = globalThis.WebAssembly;
  // What Chromium does under a CSP without 'wasm-unsafe-eval': compiling throws.
  const blocked = Object.create(real) as typeof WebAssembly;
  const refuse = () => Promise.reject(new WebAssembly.CompileError('Refused to compile or instantiate WebAssembly'));
  Object.assign(blocked, { compile: refuse, instantiate: refuse, Module: undefined });
  globalThis.WebAssembly = blocked;
  try {
    const h = await fileHashes(1);
    expect(h.kind).toBe('js');
    h.update(0, utf8('abc'));
    expect(h.hexes()).toEqual([nodeHex(utf8('abc'))]);
  } finally {
    globalThis.WebAssembly = real;
  }
});
