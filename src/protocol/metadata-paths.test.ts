import { describe, expect, it } from 'vitest';
import {
  encodeMetadata,
  isValidFilePath,
  MAX_PATH_BYTES,
  MAX_PATH_DEPTH,
  MetadataError,
  parseMetadata,
  pathConflict,
  type ShareFile,
} from './metadata';
import { utf8Encode } from './utf8';

function meta(files: ShareFile[]) {
  const totalSize = files.reduce((s, f) => s + f.size, 0);
  const chunkSize = 16 * 1024;
  const chunkCount = Math.ceil(totalSize / chunkSize);
  return { chunkSize, files, totalSize, chunkCount, chunkHashes: new Uint8Array(32 * chunkCount) };
}

/** Metadata bytes carrying `hostile` as a name, as a sharer writing the bytes by hand would send them. */
function bytesWithName(hostile: string): Uint8Array {
  const placeholder = 'x'.repeat(utf8Encode(hostile).length);
  const bytes = encodeMetadata(meta([{ name: placeholder, size: 1, type: '' }]));
  bytes.set(utf8Encode(hostile), 12); // magic 4, chunk size 4, file count 2, name length 2
  return bytes;
}

describe('relative paths in the metadata (shared folders)', () => {
  it('carries a folder tree: nested paths and non-ASCII segments round-trip', () => {
    const files = [
      { name: 'class/notes.txt', size: 3, type: 'text/plain' },
      { name: 'class/講義/week 1/slides.pdf', size: 5, type: '' },
      { name: 'class/講義/readme', size: 0, type: '' },
    ];
    expect(parseMetadata(encodeMetadata(meta(files))).files).toEqual(files);
  });

  const hostile = [
    ['absolute', '/etc/passwd'],
    ['parent', '../escape.txt'],
    ['parent in the middle', 'a/../../escape.txt'],
    ['dot segment', 'a/./b'],
    ['empty segment', 'a//b'],
    ['trailing slash', 'a/b/'],
    ['only a slash', '/'],
    ['backslash traversal', 'a\\..\\..\\x'],
    ['Windows drive path', 'C:\\Windows\\x'],
    ['control character in a folder', 'a\u0000b/c'],
    ['newline in a folder', 'a\nb/c'],
    ['device name as a folder', 'CON/x.txt'],
    ['device name with an extension', 'docs/nul.txt'],
    ['superscript device name', 'COM\u00b9/x'],
    ['segment over 255 bytes', `a/${'x'.repeat(256)}`],
    ['too deep', Array.from({ length: MAX_PATH_DEPTH + 1 }, () => 'd').join('/')],
    ['too long', Array.from({ length: 6 }, () => 'y'.repeat(200)).join('/')],
  ] as const;

  it.each(hostile)('refuses a %s path when sharing and when received as bytes', (_, name) => {
    expect(isValidFilePath(name)).toBe(false);
    expect(() => encodeMetadata(meta([{ name, size: 1, type: '' }]))).toThrow(MetadataError);
    expect(() => parseMetadata(bytesWithName(name))).toThrow(/invalid file name/);
  });

  it('accepts the limits themselves', () => {
    const deepest = Array.from({ length: MAX_PATH_DEPTH }, () => 'd').join('/');
    expect(isValidFilePath(deepest)).toBe(true);
    const longest = [...Array.from({ length: 4 }, () => 'y'.repeat(200)), 'z'.repeat(MAX_PATH_BYTES - 4 * 201)].join(
      '/',
    );
    expect(utf8Encode(longest).length).toBe(MAX_PATH_BYTES);
    expect(isValidFilePath(longest)).toBe(true);
    expect(isValidFilePath(`${longest}z`)).toBe(false);
    expect(isValidFilePath('console.log')).toBe(true); // only the exact device names
  });

  it('refuses two files that would land on the same place, or a file that is also a folder', () => {
    expect(pathConflict(['a/x', 'a/y', 'b'])).toBeUndefined();
    expect(pathConflict(['a/x', 'a/x'])).toMatch(/twice/);
    expect(pathConflict(['a', 'a/x'])).toMatch(/both a file and a folder/);
    expect(pathConflict(['a/x/y', 'a/x'])).toMatch(/as a file and a folder/);
    const twice = meta([
      { name: 'd/f', size: 1, type: '' },
      { name: 'd/f', size: 1, type: '' },
    ]);
    expect(() => encodeMetadata(twice)).toThrow(MetadataError);
  });
});
