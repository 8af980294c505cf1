/**
 * Saving a downloaded file. Big files stream to disk chunk by chunk where the browser offers
 * `showSaveFilePicker` (secure contexts, Chromium); elsewhere the file is a Blob assembled from the
 * stored chunk Blobs (disk-backed handles), so memory stays flat either way.
 */
import type { ShareSummary } from '../worker/protocol';
import type { Runtime } from './runtime';
import { saveAsName } from './display-name';

/** Above this, stream to disk when the browser can. */
export const STREAM_THRESHOLD_BYTES = 64 * 1024 * 1024;

type SavePicker = (opts: { suggestedName: string }) => Promise<FileSystemFileHandle>;

/** How a save went: streamed to a file the user picked, handed to the browser as a Blob, or cancelled. */
export type SaveOutcome = 'streamed' | 'blob' | 'cancelled';

function savePicker(disabled: boolean): SavePicker | undefined {
  const picker = (globalThis as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  return !disabled && typeof picker === 'function' ? picker : undefined;
}

/**
 * Saves file `fileIndex` of a complete share. While streaming, `onProgress` gets the bytes written
 * so far; one chunk (256 KiB) is in memory at a time. Rejects when writing fails (disk full, ...).
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
      handle = await picker({ suggestedName: saveAsName(file.name) });
    } catch {
      return 'cancelled'; // the user closed the dialog
    }
    await streamToHandle(rt, share, fileIndex, handle, onProgress);
    return 'streamed';
  }
  const blob = await rt.fileBlob(share.swarmId, fileIndex);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = saveAsName(file.name);
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return 'blob';
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
    const first = Math.floor(file.offset / share.chunkSize);
    const last = Math.floor((file.offset + Math.max(file.size, 1) - 1) / share.chunkSize);
    let written = 0;
    for (let i = first; i <= last; i++) {
      const chunk = new Uint8Array(await rt.readChunk(share.swarmId, i));
      const start = Math.max(0, file.offset - i * share.chunkSize);
      const end = Math.min(chunk.length, file.offset + file.size - i * share.chunkSize);
      await out.write(chunk.subarray(start, end));
      written += Math.max(0, end - start);
      onProgress?.(written, file.size);
    }
    await out.close();
  } catch (err) {
    await out.abort().catch(() => undefined); // leave no half-written file behind
    throw err;
  }
}
