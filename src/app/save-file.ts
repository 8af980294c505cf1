/**
 * Saving a downloaded file. Big files stream to disk chunk by chunk where the browser offers
 * `showSaveFilePicker` (secure contexts, Chromium), the next chunks read while one is written; elsewhere the file is a Blob assembled from the
 * stored chunk Blobs (disk-backed handles), so memory stays flat either way.
 */
import type { ShareSummary } from '../worker/protocol';
import type { Runtime } from './runtime';
import { saveAsName } from './display-name';
import { readAhead, readAheadDepth } from '../worker/read-ahead';

/** Above this, stream to disk when the browser can. */
export const STREAM_THRESHOLD_BYTES = 64 * 1024 * 1024;

export type SavePicker = (opts: { suggestedName: string }) => Promise<FileSystemFileHandle>;

/** How a save went: streamed to a file the user picked, handed to the browser as a Blob, or cancelled. */
export type SaveOutcome = 'streamed' | 'blob' | 'cancelled';

/** A folder's file is saved on its own under its own name ("week 1/slides.pdf" as "slides.pdf"). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function savePicker(disabled: boolean): SavePicker | undefined {
  const picker = (globalThis as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  return !disabled && typeof picker === 'function' ? picker : undefined;
}

/**
 * Saves file `fileIndex` of a complete share. While streaming, `onProgress` gets the bytes written
 * so far; about 8 MiB of chunks are in memory at a time. Rejects when writing fails (disk full, ...).
 */
export async function saveFile(
  rt: Runtime,
  share: ShareSummary,
  fileIndex: number,
  onProgress?: (written: number, total: number) => void,
): Promise<SaveOutcome> {
  const file = share.files[fileIndex];
  if (!file) return 'cancelled';
  const picker = savePicker(rt.flags.noSavePicker === true);
  if (picker && file.size > STREAM_THRESHOLD_BYTES) {
    let handle: FileSystemFileHandle;
    try {
      handle = await picker({ suggestedName: saveAsName(baseName(file.name)) });
    } catch {
      return 'cancelled'; // the user closed the dialog
    }
    await streamToHandle(rt, share, fileIndex, handle, onProgress);
    return 'streamed';
  }
  handToBrowser(await rt.fileBlob(share.swarmId, fileIndex), saveAsName(baseName(file.name)));
  return 'blob';
}

/** A download the browser saves where it saves downloads. */
export function handToBrowser(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function streamToHandle(
  rt: Runtime,
  share: ShareSummary,
  fileIndex: number,
  handle: FileSystemFileHandle,
  onProgress?: (written: number, total: number) => void,
): Promise<void> {
  const file = share.files[fileIndex]!;
  const out = await handle.createWritable();
  try {
    let written = 0;
    for await (const bytes of fileBytes(rt, share, fileIndex)) {
      await out.write(bytes);
      written += bytes.length;
      onProgress?.(written, file.size);
    }
    await out.close();
  } catch (err) {
    await out.abort().catch(() => undefined); // leave no half-written file behind
    throw err;
  }
}

/** The bytes of file `fileIndex`, one chunk at a time, read from the worker as they are asked for. */
export async function* fileBytes(
  rt: Runtime,
  share: ShareSummary,
  fileIndex: number,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const file = share.files[fileIndex]!;
  if (file.size === 0) return;
  const first = Math.floor(file.offset / share.chunkSize);
  const last = Math.floor((file.offset + file.size - 1) / share.chunkSize);
  let i = first;
  // The next chunks are asked for while this one is written (each is a round trip to the worker).
  for await (const buffer of readAhead(first, last, readAheadDepth(share.chunkSize), (k) =>
    rt.readChunk(share.swarmId, k),
  )) {
    const chunk = new Uint8Array(buffer);
    const start = Math.max(0, file.offset - i * share.chunkSize);
    const end = Math.min(chunk.length, file.offset + file.size - i * share.chunkSize);
    yield chunk.subarray(start, end);
    i++;
  }
}
