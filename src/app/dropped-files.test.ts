import { describe, expect, it } from 'vitest';
import {
  droppedHandles,
  filesFromEntries,
  filesFromInput,
  FolderError,
  shareOrder,
  type EntryLike,
} from './dropped-files';

type Tree = { [name: string]: Tree | string };

/** A FileSystemEntry tree whose folders answer readEntries in batches of `batch`, like Chromium's 100. */
function entry(name: string, node: Tree | string, batch = 2): EntryLike {
  if (typeof node === 'string')
    return { isFile: true, isDirectory: false, name, file: (ok) => ok(new File([node], name)) };
  const children = Object.entries(node).map(([n, c]) => entry(n, c, batch));
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok) => {
          ok(children.slice(at, at + batch));
          at += batch;
        },
      };
    },
  };
}

describe('walking a dropped folder', () => {
  it('finds every file of every batch and level, with its path from the dropped folder', async () => {
    const root = entry('class', {
      'a.txt': 'a',
      'b.txt': 'b',
      'c.txt': 'c',
      week1: { 'slides.pdf': 's', deep: { x: 'x' } },
      empty: {},
    });
    const got = await filesFromEntries([root, entry('loose.bin', 'l')]);
    expect(got.map((p) => p.path)).toEqual([
      'class/a.txt',
      'class/b.txt',
      'class/c.txt',
      'class/week1/slides.pdf',
      'class/week1/deep/x',
      'loose.bin',
    ]);
    expect(await got[3]!.file.text()).toBe('s');
  });

  it('refuses more files than the limit, before reading the rest', async () => {
    const many: Tree = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}`, 'x']));
    await expect(filesFromEntries([entry('d', many)], { maxFiles: 5, maxDepth: 32 })).rejects.toThrow(
      new FolderError('more than 5 files'),
    );
    expect(await filesFromEntries([entry('d', many)], { maxFiles: 6, maxDepth: 32 })).toHaveLength(6);
  });

  it('refuses a file deeper than the limit and says which', async () => {
    const tree = entry('a', { b: { c: { 'f.txt': 'x' } } });
    await expect(filesFromEntries([tree], { maxFiles: 10, maxDepth: 3 })).rejects.toThrow(
      /"a\/b\/c\/f.txt" is more than 3/,
    );
    expect(await filesFromEntries([tree], { maxFiles: 10, maxDepth: 4 })).toHaveLength(1);
  });

  it('refuses a drop with no files, and a folder the browser will not read, with a clear error', async () => {
    await expect(filesFromEntries([entry('empty', { sub: {} })])).rejects.toThrow(/no files/);
    const unreadable: EntryLike = {
      isFile: false,
      isDirectory: true,
      name: 'locked',
      createReader: () => ({ readEntries: (_ok, fail) => fail?.(new Error('NotReadableError')) }),
    };
    await expect(filesFromEntries([unreadable])).rejects.toThrow(/folder "locked" can't be read/);
  });
});

describe('the order and paths files are shared in', () => {
  it('takes a folder input relative path, and a plain file its name', () => {
    const inFolder = new File(['x'], 'x.txt');
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'dir/sub/x.txt' });
    expect(filesFromInput([inFolder, new File(['y'], 'y.txt')]).map((p) => p.path)).toEqual(['dir/sub/x.txt', 'y.txt']);
  });

  it('sorts a folder by path (the same folder, the same share) and keeps loose files as picked', () => {
    const p = (path: string) => ({ path, file: new File([], path.split('/').pop()!) });
    expect(shareOrder([p('d/b'), p('d/a/z'), p('d/a')]).map((x) => x.path)).toEqual(['d/a', 'd/a/z', 'd/b']);
    expect(shareOrder([p('b'), p('a')]).map((x) => x.path)).toEqual(['b', 'a']);
  });
});

describe("a drop's handles (Chromium's getAsFileSystemHandle)", () => {
  const drop = (...handles: Array<{ kind: string } | null | 'missing'>) =>
    ({
      items: handles.map((h) => ({
        kind: 'file',
        ...(h === 'missing' ? {} : { getAsFileSystemHandle: () => Promise.resolve(h) }),
      })),
    }) as unknown as DataTransfer;

  it('gives files and folders alike, so a dropped folder is seeded through handles too', async () => {
    const file = { kind: 'file' };
    const folder = { kind: 'directory' };
    expect(await droppedHandles(drop(file, folder))).toEqual([file, folder]);
  });

  it('gives none when some item has no handle: the drop is walked and copied as before', async () => {
    expect(droppedHandles(drop({ kind: 'file' }, 'missing'))).toBeUndefined();
    expect(await droppedHandles(drop({ kind: 'file' }, null))).toBeUndefined();
    expect(droppedHandles(drop())).toBeUndefined();
  });
});
