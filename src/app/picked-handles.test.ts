import { describe, expect, it } from 'vitest';
import { FolderError } from './dropped-files';
import { directoryPicker, filesFromHandles, fromPicker, openFilePicker, type HandleLike } from './picked-handles';

type Tree = { [name: string]: Tree | string };

/** A FileSystemHandle tree: file handles give Files, directory handles list their children. */
function handle(name: string, node: Tree | string): HandleLike {
  if (typeof node === 'string') return { kind: 'file', name, getFile: () => Promise.resolve(new File([node], name)) };
  const children = Object.entries(node).map(([n, c]) => handle(n, c));
  return {
    kind: 'directory',
    name,
    async *values() {
      yield* children;
    },
  };
}

function abortError(): Error {
  return Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' });
}

describe('the File System Access pickers', () => {
  it('are used only where the browser has them (not on plain http, Firefox or Safari)', async () => {
    expect(openFilePicker({})).toBeUndefined();
    expect(directoryPicker({})).toBeUndefined();
    const calls: unknown[] = [];
    const g = {
      showOpenFilePicker(this: unknown, opts: unknown) {
        calls.push([this, opts]);
        return Promise.resolve([handle('a.bin', 'a')]);
      },
    };
    const picked = await openFilePicker(g)!({ multiple: true });
    expect(picked.map((h) => h.name)).toEqual(['a.bin']);
    expect(calls).toEqual([[g, { multiple: true }]]); // called on the window, as the browser requires
  });

  it('a closed dialog is no files; any other refusal is a clear error, never an unhandled rejection', async () => {
    expect(await fromPicker(() => Promise.reject(abortError()), filesFromHandles)).toEqual([]);
    const refused = fromPicker(
      () => Promise.reject(Object.assign(new Error('x'), { name: 'SecurityError' })),
      filesFromHandles,
    );
    await expect(refused).rejects.toThrow(FolderError);
    await expect(refused).rejects.toThrow(/did not open the files \(SecurityError\)/);
  });
});

describe('files from handles', () => {
  it('keeps each picked file with its handle, under its own name', async () => {
    const a = handle('a.bin', 'aaa');
    const b = handle('b.bin', 'b');
    const got = await filesFromHandles([a, b]);
    expect(got.map((p) => [p.path, p.file.size, p.handle])).toEqual([
      ['a.bin', 3, a],
      ['b.bin', 1, b],
    ]);
  });

  it('walks a folder: every file at every level, with its path from the folder and its own handle', async () => {
    const root = handle('class', { 'a.txt': 'a', week1: { 'slides.pdf': 's', deep: { x: 'x' } }, empty: {} });
    const got = await filesFromHandles([root]);
    expect(got.map((p) => p.path)).toEqual(['class/a.txt', 'class/week1/slides.pdf', 'class/week1/deep/x']);
    expect(got.every((p) => (p.handle as HandleLike).kind === 'file' && p.file.name === p.path.split('/').pop())).toBe(
      true,
    );
  });

  it('refuses a tree deeper than the limit, naming the path', async () => {
    const root = handle('a', { b: { c: { 'f.txt': 'f' } } });
    await expect(filesFromHandles([root], { maxFiles: 10, maxDepth: 3 })).rejects.toThrow(
      /"a\/b\/c\/f.txt" is more than 3 folders deep/,
    );
    expect((await filesFromHandles([root], { maxFiles: 10, maxDepth: 4 })).length).toBe(1);
  });

  it('stops at the file limit before reading more files', async () => {
    let read = 0;
    const counted = (name: string): HandleLike => ({
      kind: 'file',
      name,
      getFile: () => (read++, Promise.resolve(new File(['x'], name))),
    });
    const many: HandleLike = {
      kind: 'directory',
      name: 'many',
      async *values() {
        for (let i = 0; i < 1000; i++) yield counted(`f${i}`);
      },
    };
    await expect(filesFromHandles([many], { maxFiles: 5, maxDepth: 4 })).rejects.toThrow(/more than 5 files/);
    expect(read).toBe(5);
  });

  it('an empty folder, an unreadable file or folder: a clear error each', async () => {
    await expect(filesFromHandles([handle('empty', { sub: {} })])).rejects.toThrow(/no files/);
    const gone: HandleLike = {
      kind: 'file',
      name: 'gone.bin',
      getFile: () => Promise.reject(Object.assign(new Error('x'), { name: 'NotFoundError' })),
    };
    await expect(filesFromHandles([gone])).rejects.toThrow(/"gone.bin" can't be read \(NotFoundError\)/);
    const locked: HandleLike = {
      kind: 'directory',
      name: 'locked',
      // eslint-disable-next-line require-yield
      async *values() {
        throw Object.assign(new Error('x'), { name: 'NotAllowedError' });
      },
    };
    await expect(filesFromHandles([locked])).rejects.toThrow(FolderError);
    await expect(filesFromHandles([locked])).rejects.toThrow(/folder "locked" can't be read \(NotAllowedError\)/);
  });
});
