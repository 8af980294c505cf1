import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createSHA256 } from 'hash-wasm';
import { incrementalSha256, inPageHasher, pickHasher } from './hasher';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const native = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 2654435761 + seed) >>> 24);

describe('inPageHasher (plain-http pages)', () => {
  it('gives the FIPS 180-2 digests and the native ones around block boundaries', async () => {
    const h = inPageHasher();
    expect(hex(await h.sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(await h.sha256(new Uint8Array(0)))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    for (const n of [55, 56, 63, 64, 65, 256 * 1024]) expect(hex(await h.sha256(bytes(n)))).toBe(native(bytes(n)));
  });

  it('compiles once, and concurrent digests sharing the instance stay apart', async () => {
    const compile = vi.fn(createSHA256);
    const h = inPageHasher(compile);
    const inputs = Array.from({ length: 12 }, (_, i) => bytes(1000 + i * 7919, i));
    const digests = await Promise.all(inputs.map((d) => h.sha256(d)));
    expect(digests.map(hex)).toEqual(inputs.map(native));
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it('falls back to pure JS, with the same digests, where WebAssembly cannot be compiled', async () => {
    const compile = vi.fn(() => Promise.reject(new Error('WebAssembly.compile(): refused by CSP')));
    const h = inPageHasher(compile);
    const data = bytes(300_000);
    expect(hex(await h.sha256(data))).toBe(native(data));
    expect(hex(await h.sha256(bytes(64)))).toBe(native(bytes(64)));
    expect(compile).toHaveBeenCalledTimes(1);
  });
});

describe('incrementalSha256 (shared by the chunk and whole-file hashers)', () => {
  it('wasm where it compiles, @noble where it fails or with forceJs (never compiling then); init starts over', async () => {
    const refuse = vi.fn(() => Promise.reject(new Error('WebAssembly.compile(): refused by CSP')));
    const compiles = vi.fn(createSHA256);
    const cases = [
      [await incrementalSha256({ compile: compiles }), 'wasm'],
      [await incrementalSha256({ compile: refuse }), 'js'],
      [await incrementalSha256({ forceJs: true, compile: compiles }), 'js'],
    ] as const;
    expect(compiles).toHaveBeenCalledTimes(1);
    expect(refuse).toHaveBeenCalledTimes(1);
    for (const [h, kind] of cases) {
      expect(h.kind).toBe(kind);
      h.init();
      h.update(bytes(100, 3));
      h.init(); // what was fed before init does not count
      h.update(bytes(70_000).subarray(0, 1000));
      h.update(bytes(70_000).subarray(1000));
      expect(hex(h.digest())).toBe(native(bytes(70_000)));
    }
  });
});

describe('pickHasher', () => {
  it('uses WebCrypto where there is one, in-page code where not', async () => {
    expect(pickHasher().kind).toBe('subtle');
    vi.stubGlobal('crypto', {});
    try {
      const { kind, hasher } = pickHasher();
      expect(kind).toBe('js');
      expect(hex(await hasher.sha256(bytes(5000)))).toBe(native(bytes(5000)));
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('forceJs: pure JS, resolved within microtasks (no compilation to wait for)', async () => {
    const { kind, hasher } = pickHasher({ forceJs: true });
    expect(kind).toBe('js');
    let out: Uint8Array | undefined;
    void hasher.sha256(bytes(100)).then((d) => (out = d));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(out && hex(out)).toBe(native(bytes(100)));
  });
});
