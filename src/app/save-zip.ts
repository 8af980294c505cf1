/**
 * Saving a share of several files (a folder) as one ZIP, streamed: `client-zip` writes each entry
 * as its bytes are read from the worker, one chunk at a time, so memory stays flat whatever the
 * share's size. With `showSaveFilePicker` (Chromium, secure contexts) the stream goes straight into
 * the file the user picked; elsewhere the browser assembles it as a Blob (its own Blob storage,
 * which Chromium and Firefox move to disk when it is large) and downloads it.
 */
import { downloadZip } from 'client-zip';
import type { ShareSummary } from '../worker/protocol';
import { saveAsName } from './display-name';
import type { Runtime } from './runtime';
import { fileBytes, handToBrowser, savePicker, type SaveOutcome } from './save-file';

/** Characters some file systems refuse in a name (Windows), replaced so the archive unpacks everywhere. */
const UNPORTABLE = /[<>:"|?*]/g;

/** The entry name of a path: each segment cleaned like a saved file's name (hidden characters, spaces). */
export function zipEntryName(path: string): string {
  return path
    .split('/')
    .map((segment) => saveAsName(segment).replace(UNPORTABLE, '_'))
    .join('/');
}

/** The archive's name: the shared folder's, when every file is in one. */
export function zipName(share: Pick<ShareSummary, 'files'>): string {
  const top = share.files[0]?.name.split('/')[0] ?? '';
  const oneFolder = top !== '' && share.files.every((f) => f.name.startsWith(`${top}/`));
  return `${oneFolder ? zipEntryName(top) : 'swarmdrop-files'}.zip`;
}

/** Saves every file of a complete share in one ZIP; `onProgress` gets the file bytes written so far. */
export async function saveZip(
  rt: Runtime,
  share: ShareSummary,
  onProgress?: (written: number, total: number) => void,
): Promise<SaveOutcome> {
  let written = 0;
  const counted = async function* (fileIndex: number): AsyncGenerator<Uint8Array> {
    for await (const bytes of fileBytes(rt, share, fileIndex)) {
      yield bytes;
      written += bytes.length;
      onProgress?.(written, share.totalSize);
    }
  };
  const lastModified = new Date(share.createdAt);
  // Entries are made as client-zip asks for them: one file's reader at a time.
  const entries = async function* () {
    for (let i = 0; i < share.files.length; i++) {
      const f = share.files[i]!;
      yield { name: zipEntryName(f.name), size: f.size, lastModified, input: counted(i) };
    }
  };
  const picker = savePicker(rt.flags.noSavePicker === true);
  if (picker) {
    let handle: FileSystemFileHandle;
    try {
      handle = await picker({ suggestedName: zipName(share) });
    } catch {
      return 'cancelled'; // the user closed the dialog
    }
    const out = await handle.createWritable();
    // pipeTo closes the file when the archive is whole and aborts it (nothing half-written) on error.
    await downloadZip(entries()).body!.pipeTo(out);
    return 'streamed';
  }
  handToBrowser(await downloadZip(entries()).blob(), zipName(share));
  return 'blob';
}
