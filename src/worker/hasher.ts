/**
 * SHA-256 of whole files (the engine's chunk hasher is `pickHasher` in src/engine/hasher.ts).
 * crypto.subtle has no streaming API, so a whole file is hashed incrementally here, on the
 * engine's `incrementalSha256`: in WebAssembly (hash-wasm) where it can be instantiated, which
 * needs 'wasm-unsafe-eval' in the page's CSP (signaling/security-headers.ts); in pure JS
 * (@noble/hashes) where it cannot, slower but the same digests.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { incrementalSha256 } from '../engine/index';

export type FileHasherKind = 'wasm' | 'js';

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
  const hasher = await incrementalSha256(opts);
  const out: Array<string | undefined> = new Array<string | undefined>(count).fill(undefined);
  let current = -1;
  let done = false;
  const finish = (): void => {
    if (current >= 0 && !done) out[current] = bytesToHex(hasher.digest());
  };
  return {
    kind: hasher.kind,
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
