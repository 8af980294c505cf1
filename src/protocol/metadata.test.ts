import { describe, expect, it } from 'vitest';
import {
  chooseChunkSize,
  chunkLength,
  decodeMetadata,
  encodeMetadata,
  MetadataError,
  parseMetadata,
  type ShareMetadata,
} from './metadata';
import { createShare } from '../engine/index';
import { jsHasher } from '../engine/testing/index';
import { utf8Decode, utf8Encode } from './utf8';

const KiB = 1024;
const MiB = 1024 * KiB;

function meta(overrides: Partial<ShareMetadata> = {}): ShareMetadata {
  const files = overrides.files ?? [
    { name: 'lecture.pdf', size: 300 * KiB, type: 'application/pdf' },
    { name: '講義 notes.txt', size: 10, type: 'text/plain' },
  ];
  const totalSize = files.reduce((s, f) => s + f.size, 0);
  const chunkSize = overrides.chunkSize ?? 256 * KiB;
  const chunkCount = Math.ceil(totalSize / chunkSize);
  return {
    chunkSize,
    files,
    totalSize,
    chunkCount,
    chunkHashes: new Uint8Array(chunkCount * 32).fill(7),
    ...overrides,
  };
}

describe('metadata encoding', () => {
  it('round-trips, and re-encoding gives the same bytes (one canonical form)', () => {
    const m = meta();
    const bytes = encodeMetadata(m);
    const back = parseMetadata(bytes);
    expect(back).toEqual(m);
    expect(encodeMetadata(back)).toEqual(bytes);
  });

  it('verifies the info hash', async () => {
    const bytes = encodeMetadata(meta());
    const infoHash = await jsHasher.sha256(bytes);
    expect((await decodeMetadata(bytes, infoHash, jsHasher)).files[1]!.name).toBe('講義 notes.txt');
    const other = infoHash.slice();
    other[0]! ^= 1;
    await expect(decodeMetadata(bytes, other, jsHasher)).rejects.toThrow(/info hash/);
  });

  it('rejects truncated, trailing, wrong-magic and inconsistent bytes', () => {
    const bytes = encodeMetadata(meta());
    for (const cut of [0, 3, 9, 12, 40, bytes.length - 1])
      expect(() => parseMetadata(bytes.subarray(0, cut))).toThrow(MetadataError);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => parseMetadata(longer)).toThrow(/trailing/);
    const magic = bytes.slice();
    magic[3] = 2;
    expect(() => parseMetadata(magic)).toThrow(/magic/);
    const chunk = bytes.slice();
    new DataView(chunk.buffer).setUint32(4, 100_000); // not a power of two
    expect(() => parseMetadata(chunk)).toThrow(/power of two/);
  });

  it('rejects unsafe file names and bad UTF-8', () => {
    for (const name of ['', '.', '..', '/b', 'a/', 'a\\b', 'nul\u0000', 'x'.repeat(256)]) {
      expect(() => encodeMetadata(meta({ files: [{ name, size: 1, type: '' }] }))).toThrow(MetadataError);
    }
    const bytes = encodeMetadata(meta({ files: [{ name: 'ab', size: 1, type: '' }] }));
    bytes[12] = 0xc0; // overlong/invalid lead byte in the name
    expect(() => parseMetadata(bytes)).toThrow(/UTF-8/);
  });

  it('rejects sizes and chunk counts that do not add up', () => {
    expect(() => encodeMetadata({ ...meta(), chunkCount: 5 })).toThrow(/chunkCount/);
    expect(() => encodeMetadata({ ...meta(), totalSize: 1 })).toThrow(/totalSize/);
    expect(() => encodeMetadata(meta({ files: [{ name: 'a', size: 0, type: '' }] }))).toThrow(/total size/);
    expect(() => encodeMetadata(meta({ files: [{ name: 'a', size: -1, type: '' }] }))).toThrow(/size/);
  });

  it('chooses 256 KiB chunks from 64 MiB, at least 256 chunks below (16 KiB minimum), doubled for big shares', () => {
    expect(chooseChunkSize(1)).toBe(16 * KiB);
    expect(chooseChunkSize(1 * MiB)).toBe(16 * KiB);
    expect(chooseChunkSize(4 * MiB)).toBe(16 * KiB);
    expect(chooseChunkSize(4 * MiB + 1)).toBe(16 * KiB);
    expect(chooseChunkSize(8 * MiB)).toBe(32 * KiB);
    expect(chooseChunkSize(16 * MiB)).toBe(64 * KiB);
    expect(chooseChunkSize(32 * MiB - 1)).toBe(64 * KiB);
    expect(chooseChunkSize(32 * MiB)).toBe(128 * KiB);
    expect(chooseChunkSize(64 * MiB - 1)).toBe(128 * KiB);
    expect(chooseChunkSize(64 * MiB)).toBe(256 * KiB);
    expect(chooseChunkSize(512 * MiB)).toBe(256 * KiB);
    expect(chooseChunkSize(4096 * MiB)).toBe(2 * MiB);
    expect(chunkLength(meta(), 0)).toBe(256 * KiB);
    expect(chunkLength(meta(), 1)).toBe(300 * KiB + 10 - 256 * KiB);
  });
});

describe('createShare', () => {
  it('concatenates files into one chunk space and hashes each chunk', async () => {
    const a = Uint8Array.from({ length: 20_000 }, (_, i) => i & 255);
    const b = Uint8Array.from({ length: 30_000 }, (_, i) => (i * 7) & 255);
    const source = (name: string, data: Uint8Array) => ({
      name,
      size: data.length,
      type: 'application/octet-stream',
      read: async (o: number, l: number) => data.slice(o, o + l),
    });
    const share = await createShare([source('a.bin', a), source('b.bin', b)], jsHasher, { chunkSize: 16 * KiB });
    expect(share.metadata.chunkCount).toBe(Math.ceil(50_000 / (16 * KiB)));
    const all = new Uint8Array(50_000);
    all.set(a);
    all.set(b, a.length);
    const second = all.slice(16 * KiB, 32 * KiB); // spans both files
    expect(share.metadata.chunkHashes.subarray(32, 64)).toEqual(await jsHasher.sha256(second));
    expect(share.infoHash).toEqual(await jsHasher.sha256(share.encodedMetadata));
    expect(await decodeMetadata(share.encodedMetadata, share.infoHash, jsHasher)).toEqual(share.metadata);
  });

  it('rejects a file that reads short', async () => {
    const bad = { name: 'x', size: 100, type: '', read: async () => new Uint8Array(5) };
    await expect(createShare([bad], jsHasher)).rejects.toThrow(MetadataError);
  });
});

describe('utf8', () => {
  it('round-trips and rejects malformed sequences', () => {
    for (const s of ['', 'abc', 'é', '講義', '😀 x']) expect(utf8Decode(utf8Encode(s))).toBe(s);
    // stray continuation, truncated, overlong, surrogate, above U+10FFFF, invalid lead byte
    for (const bad of [[0x80], [0xc3], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8]])
      expect(utf8Decode(Uint8Array.from(bad))).toBeUndefined();
  });
  it('keeps a leading BOM as text and encodes a lone surrogate as U+FFFD (one byte form per string)', () => {
    expect(utf8Decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\ufeffa');
    expect(utf8Encode('\ufeffa')).toEqual(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61));
    expect(utf8Encode('\ud800')).toEqual(Uint8Array.of(0xef, 0xbf, 0xbd));
  });
});
