/**
 * Testing the streaming save for real. Headless Chromium can't answer showSaveFilePicker's dialog,
 * so the page's `showSaveFilePicker` is replaced (before any app script runs) by one that returns a
 * real file handle in the origin private file system (OPFS): the app's own code then streams into
 * it through `createWritable()`, exactly as into a file the user picked. The test reads the OPFS
 * file back in slices and hashes each slice in the page, so no copy of the whole file is made.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Every later page of `context` gets an OPFS-backed showSaveFilePicker; names picked go to window.__opfsPicked. */
export async function installOpfsSavePicker(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { showSaveFilePicker: unknown; __opfsPicked: string[] };
    w.__opfsPicked = [];
    w.showSaveFilePicker = async ({ suggestedName }: { suggestedName: string }) => {
      const dir = await navigator.storage.getDirectory();
      w.__opfsPicked.push(suggestedName);
      return dir.getFileHandle(suggestedName, { create: true });
    };
  });
}

/** Names the replaced picker was asked for, in order. */
export function pickedNames(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __opfsPicked: string[] }).__opfsPicked);
}

/** Size and per-slice SHA-256s of an OPFS file, computed in the page. */
export function opfsSliceHashes(
  page: Page,
  name: string,
  sliceBytes: number,
): Promise<{ size: number; hashes: string[] }> {
  return page.evaluate(
    async ({ name, sliceBytes }) => {
      const file = await (await (await navigator.storage.getDirectory()).getFileHandle(name)).getFile();
      const hashes: string[] = [];
      for (let at = 0; at < file.size; at += sliceBytes) {
        const digest = await crypto.subtle.digest('SHA-256', await file.slice(at, at + sliceBytes).arrayBuffer());
        hashes.push(Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''));
      }
      return { size: file.size, hashes };
    },
    { name, sliceBytes },
  );
}

/** The same per-slice SHA-256s of a file on disk. */
export function fileSliceHashes(path: string, sliceBytes: number): string[] {
  const bytes = readFileSync(path);
  const hashes: string[] = [];
  for (let at = 0; at < bytes.length; at += sliceBytes)
    hashes.push(
      createHash('sha256')
        .update(bytes.subarray(at, at + sliceBytes))
        .digest('hex'),
    );
  return hashes;
}
