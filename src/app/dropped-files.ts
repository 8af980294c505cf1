/**
 * What the user dropped or picked, as files with their relative paths: a dropped folder is walked
 * (FileSystemDirectoryEntry, every browser family) and a folder input (`webkitdirectory`) gives
 * `webkitRelativePath`. The worker checks every path again (src/protocol/metadata.ts); here the
 * walk stops early at the limits, so a huge tree is refused before it is read, with a clear error.
 */
import { MAX_FILES, MAX_PATH_DEPTH } from '../protocol/metadata';

export interface PickedFile {
  file: File;
  /** "name", or "folder/sub/name" for a folder's files. */
  path: string;
  /** Its FileSystemFileHandle, where the browser gives one (Chromium: src/app/picked-handles.ts): seeded with no copy. */
  handle?: unknown;
}

/** A folder can't be shared as it is (too many files, too deep, empty, unreadable). */
export class FolderError extends Error {
  override readonly name = 'FolderError';
}

/** The parts of FileSystemEntry the walk uses (so the walk is tested without a browser). */
export interface EntryLike {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  file?(ok: (f: File) => void, fail?: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: EntryLike[]) => void, fail?: (e: unknown) => void): void };
}

export interface FolderLimits {
  maxFiles: number;
  maxDepth: number;
}

const LIMITS: FolderLimits = { maxFiles: MAX_FILES, maxDepth: MAX_PATH_DEPTH };

/** Every file under the dropped entries, depth first, with its path from the dropped item. */
export async function filesFromEntries(roots: EntryLike[], limits: FolderLimits = LIMITS): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const walk = async (entry: EntryLike, parent: string, depth: number): Promise<void> => {
    const path = parent === '' ? entry.name : `${parent}/${entry.name}`;
    if (entry.isFile && entry.file) {
      if (depth > limits.maxDepth) throw new FolderError(`"${path}" is more than ${limits.maxDepth} folders deep`);
      if (out.length >= limits.maxFiles) throw new FolderError(`more than ${limits.maxFiles} files`);
      const file = await new Promise<File>((ok, fail) => entry.file!(ok, fail)).catch((err: unknown) => {
        throw new FolderError(`"${path}" can't be read (${String(err)})`);
      });
      out.push({ file, path });
    } else if (entry.isDirectory && entry.createReader) {
      for (const child of await readAll(entry.createReader(), path)) await walk(child, path, depth + 1);
    }
  };
  for (const root of roots) await walk(root, '', 1);
  if (out.length === 0) throw new FolderError('no files in what was dropped (empty folders are not shared)');
  return out;
}

/** readEntries answers in batches (Chromium: 100 at a time) until it answers none. */
async function readAll(
  reader: { readEntries(ok: (entries: EntryLike[]) => void, fail?: (e: unknown) => void): void },
  path: string,
): Promise<EntryLike[]> {
  const all: EntryLike[] = [];
  for (;;) {
    const batch = await new Promise<EntryLike[]>((ok, fail) => reader.readEntries(ok, fail)).catch((err: unknown) => {
      throw new FolderError(`folder "${path}" can't be read (${String(err)})`);
    });
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** Files from a file input: a folder input gives each file's `webkitRelativePath`. */
export function filesFromInput(files: readonly File[]): PickedFile[] {
  return files.map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/**
 * The order files are shared in: as picked for loose files; sorted by path for a folder, so the same
 * folder gives the same share (the info hash covers the order) whatever order the browser listed it.
 */
export function shareOrder(picked: PickedFile[]): PickedFile[] {
  if (!picked.some((p) => p.path.includes('/'))) return picked;
  return [...picked].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The dropped items' entries, taken synchronously: the DataTransfer is emptied once the event returns. */
export function droppedEntries(data: DataTransfer): EntryLike[] | undefined {
  const items = Array.from(data.items).filter((i) => i.kind === 'file');
  const entries = items.map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null));
  return entries.every((e): e is FileSystemEntry => e !== null) && entries.length > 0 ? entries : undefined;
}

/** Minimal shape of Chromium's DataTransferItem.getAsFileSystemHandle (not in lib.dom yet). */
type WithHandle = DataTransferItem & { getAsFileSystemHandle?: () => Promise<{ kind: string } | null> };

/**
 * The dropped items' handles (files and folders), asked for synchronously (like the entries), or
 * undefined where the browser has none for some item: then the files are walked without handles.
 */
export function droppedHandles(data: DataTransfer): Promise<unknown[] | undefined> | undefined {
  const items = Array.from(data.items).filter((i) => i.kind === 'file') as WithHandle[];
  if (items.length === 0 || !items.every((i) => typeof i.getAsFileSystemHandle === 'function')) return undefined;
  const pending = items.map((i) => i.getAsFileSystemHandle!().catch(() => null));
  return Promise.all(pending).then((hs) =>
    hs.every((h) => h?.kind === 'file' || h?.kind === 'directory') ? hs : undefined,
  );
}
