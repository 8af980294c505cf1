import { describe, expect, it } from 'vitest';
import { heldFiles, reopen, requestAccess, type HeldFile, type ReadHandle } from './file-handles';

/** A file handle whose permission and file the test sets, as Chromium's would answer after a reload. */
function handle(file: File, permission: PermissionState = 'granted') {
  const h = {
    kind: 'file' as const,
    name: file.name,
    permission,
    file: file as File | Error,
    asked: 0,
    getFile: async () => {
      if (h.permission !== 'granted') throw Object.assign(new Error('no access'), { name: 'NotAllowedError' });
      if (h.file instanceof Error) throw h.file;
      return h.file;
    },
    queryPermission: async () => h.permission,
    requestPermission: async () => {
      h.asked++;
      return h.permission === 'denied' ? 'denied' : (h.permission = 'granted');
    },
  };
  return h;
}

const file = (name: string, body: string, lastModified = 1000) => new File([body], name, { lastModified });
const held = (h: ReturnType<typeof handle>, f: File): HeldFile => ({
  handle: h,
  size: f.size,
  lastModified: f.lastModified,
});

describe('a share kept as file handles, after a reload', () => {
  it('takes handles only when every file has a file handle', () => {
    const f = [file('a', 'x'), file('b', 'y')];
    const hs = f.map((x) => handle(x));
    expect(heldFiles(f, hs)?.map((h) => h.size)).toEqual([1, 1]);
    expect(heldFiles(f, [hs[0]])).toBeUndefined(); // one missing
    expect(heldFiles(f, [hs[0], { ...hs[1], kind: 'directory' }])).toBeUndefined(); // a folder's handle
    expect(heldFiles(f, [hs[0], null])).toBeUndefined();
    expect(heldFiles(f, undefined)).toBeUndefined();
  });

  it('reads again at once when access is still granted, and checks each file', async () => {
    const f = file('a', 'hello');
    expect(await reopen([held(handle(f), f)])).toEqual({ state: 'ready', files: [f] });
  });

  it('needs a click when the permission lapsed; one click grants it and the file reads again', async () => {
    const f = file('a', 'hello');
    const h = handle(f, 'prompt');
    const list = [held(h, f)];
    expect(await reopen(list)).toEqual({ state: 'needs-permission' });
    expect(await requestAccess(list)).toBe(true);
    expect(h.asked).toBe(1);
    expect(await reopen(list)).toEqual({ state: 'ready', files: [f] });
  });

  it('stays waiting when the user says no', async () => {
    const f = file('a', 'hello');
    const list = [held(handle(f, 'denied'), f)];
    expect(await requestAccess(list)).toBe(false);
    expect(await reopen(list)).toEqual({ state: 'needs-permission' });
  });

  it('says a file changed (size or last-modified) or is gone, instead of serving it', async () => {
    const f = file('a', 'hello');
    const grown = handle(file('a', 'hello!'));
    expect(await reopen([held(grown, f)])).toMatchObject({
      state: 'changed',
      detail: expect.stringMatching(/"a" changed/),
    });
    const touched = handle(file('a', 'hello', 2000));
    expect(await reopen([held(touched, f)])).toMatchObject({ state: 'changed' });
    const moved = handle(f);
    moved.file = Object.assign(new Error('gone'), { name: 'NotFoundError' });
    expect(await reopen([held(moved, f)])).toMatchObject({
      state: 'gone',
      detail: expect.stringMatching(/NotFoundError/),
    });
  });

  it('reads handles without permission methods (granted by the browser) as they are', async () => {
    const f = file('a', 'x');
    const plain: ReadHandle = { kind: 'file', name: 'a', getFile: async () => f };
    expect(await reopen([{ handle: plain, size: 1, lastModified: 1000 }])).toEqual({ state: 'ready', files: [f] });
  });
});
