/**
 * The one SHA-256 picker (worker, tests, simulator). `crypto.subtle` only exists in secure
 * contexts; a class opening the app from http://<teacher's laptop>:8080 has none, so in-page code
 * takes over there: WebAssembly (hash-wasm, about twice @noble's rate) where it compiles, else
 * @noble/hashes (pure JS, the same digests).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { createSHA256, type IHasher } from 'hash-wasm';
import type { Hasher } from './types';

/** 'js': computed in the page's own thread (WebAssembly or pure JS), not by the browser's crypto. */
export type HasherKind = 'subtle' | 'js';

interface SubtleLike {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
}

/**
 * In-page SHA-256: one WebAssembly instance, compiled on first use; pure JS where it can't be
 * compiled (no WebAssembly, or a CSP without 'wasm-unsafe-eval'). Each digest runs init, update,
 * digest with no await in between, so concurrent calls can share the instance.
 */
export function inPageHasher(compile: () => Promise<IHasher> = createSHA256): Hasher {
  let wasm: Promise<IHasher | undefined> | undefined;
  return {
    sha256: async (data) => {
      const h = await (wasm ??= compile().catch(() => undefined));
      if (!h) return sha256(data);
      h.init();
      h.update(data);
      return h.digest('binary');
    },
  };
}

/**
 * WebCrypto where there is one (browsers' secure contexts, Node >= 20), else in-page code.
 * `forceJs` (tests, the `noSubtle` flag): pure JS only, whose digests resolve without waiting for
 * anything (no thread pool, no compilation), as the engine's fake-clock tests need.
 */
export function pickHasher(opts: { forceJs?: boolean } = {}): { kind: HasherKind; hasher: Hasher } {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle;
  if (subtle && !opts.forceJs) {
    return {
      kind: 'subtle',
      hasher: {
        sha256: async (data) => new Uint8Array(await subtle.digest('SHA-256', data)),
      },
    };
  }
  if (opts.forceJs) return { kind: 'js', hasher: { sha256: async (data) => sha256(data) } };
  return { kind: 'js', hasher: inPageHasher() };
}
