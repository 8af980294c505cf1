/**
 * Shares seeded straight from the sharer's own files, with no copy in IndexedDB: where the browser
 * hands out file handles (Chromium: a dropped file's `getAsFileSystemHandle()`), the handles are
 * kept in IndexedDB beside the share, with each file's size and last-modified time. After a reload
 * the file is read again through its handle, once the browser grants read access (a handle's
 * permission lapses with the page: one click, `requestPermission`, on the page brings it back).
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';

/** The parts of FileSystemFileHandle used here (permission methods are Chromium's, not in lib.dom yet). */
export interface ReadHandle {
  readonly kind: 'file' | 'directory';
  readonly name: string;
  getFile(): Promise<File>;
  queryPermission?(opts: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(opts: { mode: 'read' }): Promise<PermissionState>;
}

/** One shared file as it was when shared. */
export interface HeldFile {
  handle: ReadHandle;
  size: number;
  lastModified: number;
}

/** Where a handle-backed share stands after a reload. */
export type Reopened =
  | { state: 'ready'; files: File[] }
  /** The browser wants a click before reading again (the page's "allow access again"). */
  | { state: 'needs-permission' }
  /** A file differs from what was shared (size or last-modified): serving it would send other bytes. */
  | { state: 'changed'; detail: string }
  /** A file was moved or deleted. */
  | { state: 'gone'; detail: string };

/** Handles usable for a share: one per file, each a file handle (a dropped folder has none). */
export function heldFiles(files: readonly File[], handles: unknown): HeldFile[] | undefined {
  if (!Array.isArray(handles) || handles.length !== files.length) return undefined;
  if (!handles.every((h) => isFileHandle(h))) return undefined;
  return files.map((f, i) => ({ handle: handles[i] as ReadHandle, size: f.size, lastModified: f.lastModified }));
}

function isFileHandle(h: unknown): boolean {
  const v = h as Partial<ReadHandle> | null;
  return !!v && typeof v === 'object' && v.kind === 'file' && typeof v.getFile === 'function';
}

/** Reads each file through its handle again, checking it is the file that was shared. */
export async function reopen(held: readonly HeldFile[]): Promise<Reopened> {
  for (const h of held) {
    const permission = (await h.handle.queryPermission?.({ mode: 'read' }).catch(() => 'prompt' as const)) ?? 'granted';
    if (permission !== 'granted') return { state: 'needs-permission' };
  }
  const files: File[] = [];
  for (const h of held) {
    let file: File;
    try {
      file = await h.handle.getFile();
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'NotAllowedError' || name === 'SecurityError') return { state: 'needs-permission' };
      return { state: 'gone', detail: `"${h.handle.name}" can't be read (${name})` };
    }
    if (file.size !== h.size || file.lastModified !== h.lastModified)
      return { state: 'changed', detail: `"${h.handle.name}" changed on disk since it was shared` };
    files.push(file);
  }
  return { state: 'ready', files };
}

/** Asks for read access to every handle (the page, in a click: the browser shows one prompt per file at most). */
export async function requestAccess(held: readonly HeldFile[]): Promise<boolean> {
  for (const h of held) {
    const state = (await h.handle.requestPermission?.({ mode: 'read' })) ?? 'granted';
    if (state !== 'granted') return false;
  }
  return true;
}

/** The handles of each handle-backed share, by swarm id (a store of its own: records are rewritten often). */
export class FileHandleStore {
  constructor(private readonly db: UseStore = createStore('swarmdrop-handles', 'handles')) {}

  get(swarmId: string): Promise<HeldFile[] | undefined> {
    return get<HeldFile[]>(swarmId, this.db);
  }

  put(swarmId: string, held: HeldFile[]): Promise<void> {
    return set(swarmId, held, this.db);
  }

  remove(swarmId: string): Promise<void> {
    return del(swarmId, this.db);
  }
}
