/**
 * Share metadata: file names, sizes, MIME types, chunk size and chunk hashes, with ONE canonical
 * binary encoding. SHA-256 of that encoding is the share's info hash (carried by the share link),
 * so peers can fetch metadata from anyone and check it before believing it.
 *
 * Byte layout (all integers big-endian):
 *   0   4  magic "SDM" + format version 0x01
 *   4   4  u32 chunkSize (a power of two, MIN_CHUNK_SIZE..MAX_CHUNK_SIZE)
 *   8   2  u16 fileCount (1..MAX_FILES)
 *   then per file:
 *       2  u16 nameLength, then nameLength bytes of UTF-8: the file's relative path, segments
 *          joined by '/' (isValidFilePath: at most MAX_PATH_DEPTH segments, MAX_PATH_BYTES bytes)
 *       1  u8 typeLength, then typeLength bytes of printable ASCII (a MIME type, may be empty)
 *       8  u64 size (below 2^53)
 *   4  u32 chunkCount (= ceil(sum of sizes / chunkSize), at least 1)
 *   32 * chunkCount  SHA-256 of each chunk, in order
 * Nothing may follow. Files are concatenated, in order, into one chunk space (as in BitTorrent).
 */
import { utf8Decode, utf8Encode } from './utf8';
import { MAX_CHUNK_COUNT, MAX_METADATA_BYTES } from './wire-messages';

export const METADATA_MAGIC = [0x53, 0x44, 0x4d, 0x01] as const; // "SDM" v1
export const MIN_CHUNK_SIZE = 16 * 1024;
export const DEFAULT_CHUNK_SIZE = 256 * 1024;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
export const MAX_FILES = 10_000;
/** Folders in a shared folder's paths: "a/b/c.txt" has depth 3. */
export const MAX_PATH_DEPTH = 32;
/** UTF-8 bytes of a whole relative path (each segment at most 255, as on common file systems). */
export const MAX_PATH_BYTES = 1024;
/** Chunk size grows (by doubling) until a share has at most this many chunks. */
export const TARGET_MAX_CHUNKS = 2048;
const HASH_BYTES = 32;

/** One file of a share, as shown to the user. */
export interface ShareFile {
  /** Its relative path: a plain name, or "folder/sub/name" for a shared folder's files. */
  name: string;
  /** Bytes. */
  size: number;
  /** MIME type as the browser reported it; may be ''. */
  type: string;
}

/** Everything a peer needs to download and verify a share. */
export interface ShareMetadata {
  chunkSize: number;
  files: ShareFile[];
  /** Sum of file sizes. */
  totalSize: number;
  chunkCount: number;
  /** chunkCount SHA-256 digests, 32 bytes each, concatenated. */
  chunkHashes: Uint8Array;
}

/** The metadata bytes are not a valid canonical encoding, or not the share the link names. */
export class MetadataError extends Error {
  override readonly name = 'MetadataError';
}

/** The 32-byte expected SHA-256 of chunk `index`. */
export function chunkHash(meta: ShareMetadata, index: number): Uint8Array {
  return meta.chunkHashes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
}

/** Byte length of chunk `index` (the last one is usually shorter). */
export function chunkLength(
  meta: Pick<ShareMetadata, 'chunkSize' | 'totalSize' | 'chunkCount'>,
  index: number,
): number {
  if (index < meta.chunkCount - 1) return meta.chunkSize;
  return meta.totalSize - meta.chunkSize * (meta.chunkCount - 1);
}

/**
 * Chunk size shrinks (by halving, down to MIN_CHUNK_SIZE) until a share has at least this many
 * chunks: a peer passes a chunk on only once it holds and has verified all of it, so a class-sized
 * file in a few large chunks spends most of its time filling the pipeline (docs/ENGINE.md,
 * "Chunk size from the file size").
 */
export const TARGET_MIN_CHUNKS = 256;

/**
 * 256 KiB for 64 MiB and more, halved for smaller shares until they have TARGET_MIN_CHUNKS chunks
 * (16 KiB at most 4 MiB), doubled for large ones until they have at most TARGET_MAX_CHUNKS (metadata
 * stays small). BitTorrent clients pick the piece size from the size the same way.
 */
export function chooseChunkSize(totalSize: number): number {
  let size = DEFAULT_CHUNK_SIZE;
  while (size > MIN_CHUNK_SIZE && totalSize / size < TARGET_MIN_CHUNKS) size /= 2;
  while (size < MAX_CHUNK_SIZE && Math.ceil(totalSize / size) > TARGET_MAX_CHUNKS) size *= 2;
  return size;
}

/** Windows device names: a file or folder called so can't be created there (with any extension). */
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?$/i;

/** One path segment: 1..255 bytes, not "." or "..", no '/', '\\', control characters or device name. */
export function isValidFileName(name: string): boolean {
  if (name === '' || name === '.' || name === '..' || RESERVED_NAME.test(name)) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x2f /* / */ || c === 0x5c /* \ */) return false;
  }
  return utf8Encode(name).length <= 255;
}

/**
 * A relative path a downloader can recreate under a folder it picked, never outside it: valid
 * segments joined by '/', so no absolute path ("/x"), no "..", no '\\' (a Windows separator), no
 * empty segment ("a//b", "a/"), at most MAX_PATH_DEPTH deep. Characters only some file systems
 * refuse (':' on Windows) are the saver's business (src/app/save-name.ts).
 */
export function isValidFilePath(path: string): boolean {
  if (utf8Encode(path).length > MAX_PATH_BYTES) return false;
  const segments = path.split('/');
  return segments.length <= MAX_PATH_DEPTH && segments.every(isValidFileName);
}

/** Why a share's paths can't all be saved side by side: a repeated path, or a file that is also a folder. */
export function pathConflict(paths: readonly string[]): string | undefined {
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const p of paths) {
    if (files.has(p) || folders.has(p)) return `${JSON.stringify(p)} appears twice, or as a file and a folder`;
    files.add(p);
    for (let at = p.indexOf('/'); at !== -1; at = p.indexOf('/', at + 1)) {
      const folder = p.slice(0, at);
      if (files.has(folder)) return `${JSON.stringify(folder)} is both a file and a folder`;
      folders.add(folder);
    }
  }
  return undefined;
}

export function isValidMimeType(type: string): boolean {
  return type.length <= 255 && /^[\x21-\x7e]*$/.test(type);
}

/** Throws MetadataError when `meta` cannot be encoded canonically. */
export function validateMetadata(meta: ShareMetadata): void {
  const { chunkSize, files } = meta;
  if (
    !Number.isInteger(chunkSize) ||
    chunkSize < MIN_CHUNK_SIZE ||
    chunkSize > MAX_CHUNK_SIZE ||
    (chunkSize & (chunkSize - 1)) !== 0
  ) {
    throw new MetadataError(`chunk size ${chunkSize} is not a power of two in ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE}`);
  }
  if (files.length < 1 || files.length > MAX_FILES)
    throw new MetadataError(`a share has 1..${MAX_FILES} files, not ${files.length}`);
  let total = 0;
  for (const f of files) {
    if (!isValidFilePath(f.name)) throw new MetadataError(`invalid file name ${JSON.stringify(f.name)}`);
    if (!isValidMimeType(f.type)) throw new MetadataError(`invalid MIME type ${JSON.stringify(f.type)}`);
    if (!Number.isSafeInteger(f.size) || f.size < 0) throw new MetadataError(`invalid file size ${f.size}`);
    total += f.size;
  }
  const conflict = pathConflict(files.map((f) => f.name));
  if (conflict) throw new MetadataError(conflict);
  if (total < 1 || !Number.isSafeInteger(total)) throw new MetadataError(`invalid total size ${total}`);
  if (total !== meta.totalSize) throw new MetadataError('totalSize is not the sum of the file sizes');
  const count = Math.ceil(total / chunkSize);
  if (count > MAX_CHUNK_COUNT) throw new MetadataError(`too many chunks (${count} > ${MAX_CHUNK_COUNT})`);
  if (count !== meta.chunkCount) throw new MetadataError('chunkCount does not match the total size');
  if (meta.chunkHashes.length !== count * HASH_BYTES) throw new MetadataError('chunkHashes has the wrong length');
}

/** The canonical bytes of `meta` (validated first). */
export function encodeMetadata(meta: ShareMetadata): Uint8Array {
  validateMetadata(meta);
  const names = meta.files.map((f) => utf8Encode(f.name));
  const types = meta.files.map((f) => utf8Encode(f.type));
  let size = 4 + 4 + 2 + 4 + meta.chunkHashes.length;
  for (let i = 0; i < names.length; i++) size += 2 + names[i]!.length + 1 + types[i]!.length + 8;
  if (size > MAX_METADATA_BYTES) throw new MetadataError(`metadata would be ${size} bytes (max ${MAX_METADATA_BYTES})`);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(METADATA_MAGIC, 0);
  view.setUint32(4, meta.chunkSize);
  view.setUint16(8, meta.files.length);
  let p = 10;
  meta.files.forEach((f, i) => {
    const name = names[i]!;
    const type = types[i]!;
    view.setUint16(p, name.length);
    out.set(name, p + 2);
    p += 2 + name.length;
    out[p] = type.length;
    out.set(type, p + 1);
    p += 1 + type.length;
    view.setUint32(p, Math.floor(f.size / 2 ** 32));
    view.setUint32(p + 4, f.size >>> 0);
    p += 8;
  });
  view.setUint32(p, meta.chunkCount);
  out.set(meta.chunkHashes, p + 4);
  return out;
}

/** Parses canonical metadata bytes WITHOUT checking the info hash. Throws MetadataError. */
export function parseMetadata(bytes: Uint8Array): ShareMetadata {
  if (bytes.length > MAX_METADATA_BYTES) throw new MetadataError('metadata too large');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  const need = (n: number) => {
    if (p + n > bytes.length) throw new MetadataError('metadata truncated');
  };
  need(10);
  for (let i = 0; i < 4; i++)
    if (bytes[i] !== METADATA_MAGIC[i]) throw new MetadataError('not Swarmdrop metadata (bad magic or version)');
  const chunkSize = view.getUint32(4);
  const fileCount = view.getUint16(8);
  p = 10;
  const files: ShareFile[] = [];
  for (let i = 0; i < fileCount; i++) {
    need(2);
    const nameLen = view.getUint16(p);
    p += 2;
    need(nameLen + 1);
    const name = utf8Decode(bytes.subarray(p, p + nameLen));
    p += nameLen;
    const typeLen = bytes[p]!;
    p += 1;
    need(typeLen + 8);
    const type = utf8Decode(bytes.subarray(p, p + typeLen));
    p += typeLen;
    const hi = view.getUint32(p);
    const lo = view.getUint32(p + 4);
    p += 8;
    if (name === undefined || type === undefined) throw new MetadataError('file name or type is not valid UTF-8');
    if (hi >= 2 ** 21) throw new MetadataError('file size too large');
    files.push({ name, type, size: hi * 2 ** 32 + lo });
  }
  need(4);
  const chunkCount = view.getUint32(p);
  p += 4;
  if (chunkCount > MAX_CHUNK_COUNT) throw new MetadataError('too many chunks');
  need(chunkCount * HASH_BYTES);
  const chunkHashes = bytes.slice(p, p + chunkCount * HASH_BYTES);
  p += chunkCount * HASH_BYTES;
  if (p !== bytes.length) throw new MetadataError('trailing bytes after metadata');
  const meta: ShareMetadata = {
    chunkSize,
    files,
    totalSize: files.reduce((s, f) => s + f.size, 0),
    chunkCount,
    chunkHashes,
  };
  validateMetadata(meta);
  return meta;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Parses metadata and checks that its SHA-256 is `expectedInfoHash`. Throws MetadataError. */
export async function decodeMetadata(
  bytes: Uint8Array,
  expectedInfoHash: Uint8Array,
  hasher: { sha256(data: Uint8Array): Promise<Uint8Array> },
): Promise<ShareMetadata> {
  const digest = await hasher.sha256(bytes);
  if (!bytesEqual(digest, expectedInfoHash)) throw new MetadataError('metadata does not match the info hash');
  return parseMetadata(bytes);
}
