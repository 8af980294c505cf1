/**
 * Files chosen through the File System Access API (Chromium on secure origins): the "choose a
 * file" button's `showOpenFilePicker`, the "choose a folder" button's `showDirectoryPicker` and a
 * dropped folder's `getAsFileSystemHandle()`. Each file comes with its handle, so the share is
 * seeded from the original files with no copy into the browser's storage (src/worker/file-handles.ts).
 * Where the API is missing, the buttons' file inputs are used instead (src/app/dropped-files.ts).
 */
import { FolderError, type FolderLimits, type PickedFile } from './dropped-files';
import { MAX_FILES, MAX_PATH_DEPTH } from '../protocol/metadata';

/** The parts of FileSystemFileHandle / FileSystemDirectoryHandle used here (tested without a browser). */
export type HandleLike =
  | { readonly kind: 'file'; readonly name: string; getFile(): Promise<File> }
  | { readonly kind: 'directory'; readonly name: string; values(): AsyncIterable<HandleLike> };

export type OpenFilePicker = (opts: { multiple: boolean }) => Promise<HandleLike[]>;
export type DirectoryPicker = (opts?: { mode: 'read' }) => Promise<HandleLike>;

const LIMITS: FolderLimits = { maxFiles: MAX_FILES, maxDepth: MAX_PATH_DEPTH };

/** The browser's `showOpenFilePicker`, if it has one (never on plain-http origins, Firefox or Safari). */
export function openFilePicker(g: object = globalThis): OpenFilePicker | undefined {
  const picker = (g as { showOpenFilePicker?: OpenFilePicker }).showOpenFilePicker;
  return typeof picker === 'function' ? (opts) => picker.call(g, opts) : undefined;
}

/** The browser's `showDirectoryPicker`, if it has one. */
export function directoryPicker(g: object = globalThis): DirectoryPicker | undefined {
  const picker = (g as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return typeof picker === 'function' ? (opts) => picker.call(g, opts) : undefined;
}

/**
 * Runs a picker; the user closing its dialog (AbortError) is no files. Any other refusal is a
 * clear error for the page, never an unhandled rejection.
 */
export async function fromPicker<T>(pick: () => Promise<T>, toFiles: (picked: T) => Promise<PickedFile[]>) {
  let picked: T;
  try {
    picked = await pick();
  } catch (err) {
    if ((err as Error | undefined)?.name === 'AbortError') return [];
    throw new FolderError(`the browser did not open the files (${(err as Error | undefined)?.name ?? String(err)})`);
  }
  return toFiles(picked);
}

/**
 * Every file under the given handles, each with its handle and its path from the chosen item
 * ("name" for a loose file, "folder/sub/name" for a folder's), at most `limits` deep and many.
 */
export async function filesFromHandles(roots: HandleLike[], limits: FolderLimits = LIMITS): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const walk = async (h: HandleLike, parent: string, depth: number): Promise<void> => {
    const path = parent === '' ? h.name : `${parent}/${h.name}`;
    if (h.kind === 'file') {
      if (depth > limits.maxDepth) throw new FolderError(`"${path}" is more than ${limits.maxDepth} folders deep`);
      if (out.length >= limits.maxFiles) throw new FolderError(`more than ${limits.maxFiles} files`);
      const file = await h.getFile().catch((err: unknown) => {
        throw new FolderError(`"${path}" can't be read (${(err as Error | undefined)?.name ?? String(err)})`);
      });
      out.push({ file, path, handle: h });
      return;
    }
    try {
      for await (const child of h.values()) await walk(child, path, depth + 1);
    } catch (err) {
      if (err instanceof FolderError) throw err;
      throw new FolderError(`folder "${path}" can't be read (${(err as Error | undefined)?.name ?? String(err)})`);
    }
  };
  for (const root of roots) await walk(root, '', 1);
  if (out.length === 0) throw new FolderError('no files in what was chosen (empty folders are not shared)');
  return out;
}
