/**
 * Dropped files with handles, from the origin private file system (OPFS): headless Chromium can't
 * drag a real file from the desktop, so a test puts the file into OPFS and drops it with a real drop
 * event, and DataTransferItem.getAsFileSystemHandle (replaced before any app script runs) returns
 * that file's real OPFS handle. From there the app's own code runs unchanged.
 */
import type { BrowserContext, Page } from '@playwright/test';

/** Every page of `context` gets, for a dropped file, the handle of the OPFS file of the same name. */
export async function dropHandlesFromOpfs(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    (DataTransferItem.prototype as unknown as { getAsFileSystemHandle: unknown }).getAsFileSystemHandle = function (
      this: DataTransferItem,
    ) {
      const name = this.getAsFile()!.name; // synchronously, as the real one must be called
      return navigator.storage.getDirectory().then((dir) => dir.getFileHandle(name));
    };
  });
}

/** Drops OPFS file `name` on the home page's drop zone. */
export async function dropFromOpfs(page: Page, name: string): Promise<void> {
  await page.evaluate(async (name) => {
    const file = await (await (await navigator.storage.getDirectory()).getFileHandle(name)).getFile();
    const data = new DataTransfer();
    data.items.add(file);
    document
      .querySelector('.dropzone')!
      .dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, name);
}
