/**
 * Shares seeded from file handles, with no copy in the browser's storage. Headless Chromium can't
 * drag a real file from the desktop, so the test writes the file into the origin private file system
 * (OPFS) and replaces DataTransferItem.getAsFileSystemHandle (before any app script runs) by one
 * returning that file's real OPFS handle; the drop itself is a real drop event on the page. From
 * there the app's own code runs: the handle goes to the worker, into IndexedDB, is read again after
 * a reload. Not covered here: the permission prompt (OPFS handles are always granted; the
 * needs-permission path is covered by src/worker/file-handles.test.ts).
 */
import { expect, test, type Page } from '@playwright/test';
import { newApp } from './app';
import { randomBytes, sha256Hex } from './fixtures';

const NAME = 'lecture.bin';
const BYTES = randomBytes(600 * 1024 + 5, 77);

async function putInOpfs(page: Page, bytes: number[]): Promise<void> {
  await page.evaluate(
    async ({ name, bytes }) => {
      const out = await (
        await (await navigator.storage.getDirectory()).getFileHandle(name, { create: true })
      ).createWritable();
      await out.write(new Uint8Array(bytes));
      await out.close();
    },
    { name: NAME, bytes },
  );
}

async function dropFromOpfs(page: Page): Promise<void> {
  await page.evaluate(async (name) => {
    const file = await (await (await navigator.storage.getDirectory()).getFileHandle(name)).getFile();
    const data = new DataTransfer();
    data.items.add(file);
    document
      .querySelector('.dropzone')!
      .dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, NAME);
}

async function download(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByTestId('download-complete')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('file-sha256')).toHaveText(sha256Hex(BYTES));
}

test('a dropped file with a handle seeds from the original file, with no copy, and again after a reload', async ({
  browser,
  baseURL,
}) => {
  const sharer = await newApp(browser, baseURL!);
  await sharer.context.addInitScript(() => {
    (DataTransferItem.prototype as unknown as { getAsFileSystemHandle: unknown }).getAsFileSystemHandle = function (
      this: DataTransferItem,
    ) {
      const name = this.getAsFile()!.name; // synchronously, as the real one must be called
      return navigator.storage.getDirectory().then((dir) => dir.getFileHandle(name));
    };
  });
  await sharer.page.goto('/');
  await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await putInOpfs(sharer.page, [...BYTES]);
  await dropFromOpfs(sharer.page);
  const link = (await sharer.page.getByTestId('share-link').textContent())!.trim();
  await expect(sharer.page.getByTestId('share-backing')).toHaveAttribute('data-access', 'granted');
  await expect(sharer.page.getByTestId('share-copy')).toHaveCount(0); // nothing is copied
  await expect(sharer.page.getByTestId('file-sha256')).toHaveText(sha256Hex(BYTES), { timeout: 60_000 });

  const first = await newApp(browser, baseURL!);
  await download(first.page, link);
  await first.context.close();

  // After a reload the share seeds again, read through the stored handle; "My files" holds 0 bytes of it.
  await sharer.page.reload();
  await sharer.page.goto('/#/files');
  await expect(sharer.page.getByTestId('my-file-stored')).toHaveAttribute('data-bytes', '0');
  const second = await newApp(browser, baseURL!);
  await download(second.page, link);
  await second.context.close();

  // The file changes on disk: after a reload the share says so and serves nothing.
  const changed = [...BYTES];
  changed[1000] = changed[1000]! ^ 0xff;
  await putInOpfs(sharer.page, changed);
  await sharer.page.reload();
  await sharer.page.goto(link);
  await expect(sharer.page.getByTestId('problem-source-changed')).toBeVisible({ timeout: 60_000 });
  await sharer.context.close();
});
