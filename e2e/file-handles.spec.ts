/**
 * Shares seeded from file handles, with no copy in the browser's storage. The file is dropped from
 * the origin private file system with its real OPFS handle (e2e/opfs-handles.ts). From there the
 * app's own code runs: the handle goes to the worker, into IndexedDB, is read again after a reload.
 * Not covered here: the permission prompt (OPFS handles are always granted; the needs-permission
 * path is covered by src/worker/file-handles.test.ts).
 */
import { expect, test, type Page } from '@playwright/test';
import { newApp } from './app';
import { randomBytes, sha256Hex } from './fixtures';
import { dropFromOpfs, dropHandlesFromOpfs } from './opfs-handles';

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
  await dropHandlesFromOpfs(sharer.context);
  await sharer.page.goto('/');
  await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await putInOpfs(sharer.page, [...BYTES]);
  await dropFromOpfs(sharer.page, NAME);
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

/** Files into OPFS under their relative paths ("lecture/week 1/a.bin"), folders created on the way. */
async function putTreeInOpfs(page: Page, files: Record<string, number[]>): Promise<void> {
  await page.evaluate(async (files) => {
    for (const [path, bytes] of Object.entries(files)) {
      let dir = await navigator.storage.getDirectory();
      const parts = path.split('/');
      for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
      const out = await (await dir.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
      await out.write(new Uint8Array(bytes));
      await out.close();
    }
  }, files);
}

/**
 * The File System Access pickers, answered with OPFS handles (headless Chromium can't answer their
 * dialogs, and Playwright's file chooser does not cover them): showOpenFilePicker gives the handle
 * of OPFS file `lecture.bin`, showDirectoryPicker the OPFS folder `lecture`. Calls go to window.__pickerCalls.
 */
async function installOpfsOpenPickers(page: Page): Promise<void> {
  await page.context().addInitScript(() => {
    const w = window as unknown as Record<string, unknown> & { __pickerCalls: string[] };
    w.__pickerCalls = [];
    w.showOpenFilePicker = async () => {
      w.__pickerCalls.push('file');
      return [await (await navigator.storage.getDirectory()).getFileHandle('lecture.bin')];
    };
    w.showDirectoryPicker = async () => {
      w.__pickerCalls.push('directory');
      return (await navigator.storage.getDirectory()).getDirectoryHandle('lecture');
    };
  });
}

test('"Choose a file" opens showOpenFilePicker where the browser has it: the share keeps the handle, with no copy; without it, the file input and a copy', async ({
  browser,
  baseURL,
}) => {
  const sharer = await newApp(browser, baseURL!);
  await installOpfsOpenPickers(sharer.page);
  await sharer.page.goto('/');
  await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await putInOpfs(sharer.page, [...BYTES]);
  let inputDialogs = 0;
  sharer.page.on('filechooser', () => inputDialogs++); // the file input's own dialog must not open
  await sharer.page.locator('.dropzone .pick').click();
  const link = (await sharer.page.getByTestId('share-link').textContent())!.trim();
  expect(await sharer.page.evaluate(() => (window as unknown as { __pickerCalls: string[] }).__pickerCalls)).toEqual([
    'file',
  ]);
  expect(inputDialogs).toBe(0);
  await expect(sharer.page.getByTestId('share-backing')).toHaveAttribute('data-access', 'granted');
  await expect(sharer.page.getByTestId('share-copy')).toHaveCount(0);
  await expect(sharer.page.getByTestId('file-sha256')).toHaveText(sha256Hex(BYTES), { timeout: 60_000 });
  await sharer.page.goto('/#/files');
  await expect(sharer.page.getByTestId('my-file-stored')).toHaveAttribute('data-copy', 'none');
  await expect(sharer.page.getByTestId('my-file-stored')).toHaveAttribute('data-bytes', '0');
  const down = await newApp(browser, baseURL!);
  await download(down.page, link);
  await down.context.close();
  await sharer.context.close();

  // A browser without the picker (Firefox, Safari, plain http): the same click opens the file input,
  // and the share is copied into the browser's storage; My files says how much it holds.
  const plain = await newApp(browser, baseURL!);
  await plain.context.addInitScript(
    () => delete (window as unknown as { showOpenFilePicker?: unknown }).showOpenFilePicker,
  );
  await plain.page.goto('/');
  await expect(plain.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  const [chooser] = await Promise.all([
    plain.page.waitForEvent('filechooser'),
    plain.page.locator('.dropzone .pick').click(),
  ]);
  await chooser.setFiles({ name: NAME, mimeType: 'application/octet-stream', buffer: BYTES });
  await expect(plain.page.getByTestId('share-copy')).toHaveAttribute('data-state', 'copied', { timeout: 60_000 });
  await plain.page.goto('/#/files');
  await expect(plain.page.getByTestId('my-file-stored')).toHaveAttribute('data-copy', 'held');
  await expect(plain.page.getByTestId('my-file-stored')).toHaveAttribute('data-bytes', String(BYTES.length));
  await plain.context.close();
});

test('"Choose a folder" opens showDirectoryPicker: every file of the tree is seeded through its own handle, with no copy, and again after a reload', async ({
  browser,
  baseURL,
}) => {
  const tree: Record<string, Buffer> = {
    'lecture/readme.txt': randomBytes(1024 + 3, 91),
    'lecture/week 1/slides.bin': randomBytes(300 * 1024 + 7, 92),
    'lecture/week 1/notes/講義.txt': randomBytes(5 * 1024, 93),
  };
  const sharer = await newApp(browser, baseURL!);
  await installOpfsOpenPickers(sharer.page);
  await sharer.page.goto('/');
  await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await putTreeInOpfs(sharer.page, Object.fromEntries(Object.entries(tree).map(([p, b]) => [p, [...b]])));
  await sharer.page.getByText('Choose a folder').click();
  const link = (await sharer.page.getByTestId('share-link').textContent())!.trim();
  await expect(sharer.page.getByTestId('share-backing')).toHaveAttribute('data-access', 'granted');
  await expect(sharer.page.getByTestId('share-copy')).toHaveCount(0);
  const expected = Object.keys(tree)
    .sort()
    .map((p) => sha256Hex(tree[p]!));

  const downloadAll = async (): Promise<void> => {
    const down = await newApp(browser, baseURL!);
    await down.page.goto(link);
    await expect(down.page.getByTestId('download-complete')).toBeVisible({ timeout: 120_000 });
    await expect(down.page.getByTestId('file-sha256')).toHaveText(expected);
    await down.context.close();
  };
  await downloadAll();
  await sharer.page.reload();
  await sharer.page.goto('/#/files');
  await expect(sharer.page.getByTestId('my-file-stored')).toHaveAttribute('data-copy', 'none');
  await downloadAll(); // served again after the reload, read through the stored handles
  await sharer.context.close();
});
