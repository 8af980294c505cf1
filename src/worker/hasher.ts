/**
 * SHA-256 of whole files (the engine's chunk hasher is `pickHasher` in src/engine/hasher.ts).
 * crypto.subtle has no streaming API, so a whole file is hashed incrementally here: in WebAssembly
 * (hash-wasm) where it can be instantiated, which needs 'wasm-unsafe-eval' in the page's CSP
 * (signaling/security-headers.ts); in pure JS (@noble/hashes) where it cannot (a browser without
 * WebAssembly, a stricter CSP in front of the app), slower but the same digests.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createSHA256 } from 'hash-wasm';

export type FileHasherKind = 'wasm' | 'js';

/** One incremental SHA-256: init, update, digest, init again. */
interface Incremental {
  init(): void;
  update(data: Uint8Array): void;
  hex(): string;
}

function jsIncremental(): Incremental {
  let h = nobleSha256.create();
  return {
    init: () => void (h = nobleSha256.create()),
    update: (data) => void h.update(data),
    hex: () => bytesToHex(h.digest()),
  };
}

async function wasmIncremental(): Promise<Incremental> {
  const h = await createSHA256();
  return {
    init: () => void h.init(),
    update: (data) => void h.update(data),
    hex: () => h.digest('hex'),
  };
}

/** Each file's SHA-256, fed in file order (a share's byte stream, chunk by chunk). */
export interface FileHashes {
  readonly kind: FileHasherKind;
  /** Bytes of file `file`; a later file may start only once every earlier one is fed in full. */
  update(file: number, data: Uint8Array): void;
  /** Hex digests, one per file (a file never fed, e.g. empty, hashes as empty). */
  hexes(): string[];
}

/**
 * SHA-256 of `count` files with one hasher: files come one after the other in a share's byte
 * stream, so one running state suffices (a folder may hold 10,000 files; one WebAssembly instance
 * each would not fit). `forceJs` for tests and for comparing both.
 */
export async function fileHashes(count: number, opts: { forceJs?: boolean } = {}): Promise<FileHashes> {
  let kind: FileHasherKind = 'js';
  let h: Incremental | undefined;
  if (!opts.forceJs) {
    try {
      h = await wasmIncremental();
      kind = 'wasm';
    } catch {
      // No WebAssembly here (or the CSP forbids compiling it): pure JS gives the same digests.
    }
  }
  const hasher = h ?? jsIncremental();
  const out: Array<string | undefined> = new Array<string | undefined>(count).fill(undefined);
  let current = -1;
  let done = false;
  const finish = (): void => {
    if (current >= 0 && !done) out[current] = hasher.hex();
  };
  return {
    kind,
    update(file, data) {
      if (done || file !== current) {
        if (done || file < current || file >= count)
          throw new RangeError(`file ${file} fed out of order (at file ${current} of ${count}, done: ${done})`);
        finish();
        hasher.init();
        current = file;
      }
      hasher.update(data);
    },
    hexes() {
      finish();
      done = true; // any further update is out of order
      const empty = bytesToHex(nobleSha256(new Uint8Array(0)));
      return out.map((hex) => hex ?? empty);
    },
  };
}
