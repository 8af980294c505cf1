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

/** One running SHA-256: init, update, digest, init again. */
export interface IncrementalSha256 {
  /** 'wasm': hash-wasm compiled; 'js': @noble/hashes, the same digests. */
  readonly kind: 'wasm' | 'js';
  init(): void;
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

/**
 * The one place that compiles hash-wasm's SHA-256 or, where that fails (no WebAssembly, a CSP
 * without 'wasm-unsafe-eval'), falls back to @noble/hashes. `forceJs`: @noble without trying.
 */
export async function incrementalSha256(
  opts: { forceJs?: boolean; compile?: () => Promise<IHasher> } = {},
): Promise<IncrementalSha256> {
  if (!opts.forceJs) {
    try {
      const h = await (opts.compile ?? createSHA256)();
      return {
        kind: 'wasm',
        init: () => void h.init(),
        update: (data) => void h.update(data),
        digest: () => h.digest('binary'),
      };
    } catch {
      // No WebAssembly here (or the CSP forbids compiling it): pure JS gives the same digests.
    }
  }
  let h = sha256.create();
  return {
    kind: 'js',
    init: () => void (h = sha256.create()),
    update: (data) => void h.update(data),
    digest: () => h.digest(),
  };
}

/**
 * In-page SHA-256 of each chunk: one running state (WebAssembly where it compiles, compiled on
 * first use; else pure JS). Each digest runs init, update, digest with no await in between, so
 * concurrent calls can share it.
 */
export function inPageHasher(compile: () => Promise<IHasher> = createSHA256): Hasher {
  let state: Promise<IncrementalSha256> | undefined;
  return {
    sha256: async (data) => {
      const h = await (state ??= incrementalSha256({ compile }));
      h.init();
      h.update(data);
      return h.digest();
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
