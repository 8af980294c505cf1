import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { newApp } from './app';
import { randomBytes, sha256Hex } from './fixtures';
import { installOpfsSavePicker, pickedNames } from './opfs-save';

const KiB = 1024;

/** A folder tree on disk: path inside the folder -> size (sizes cross 16 KiB chunk borders). */
const TREE: Record<string, number> = {
  'readme.txt': 1 * KiB + 3,
  'week 1/slides.bin': 40 * KiB + 11,
  'week 1/notes/講義.txt': 5 * KiB,
  'week 1/notes/empty.txt': 0,
  'week 2/data/set.bin': 70 * KiB + 1,
};

function makeFolder(): { root: string; sha256: Map<string, string> } {
  const root = join(mkdtempSync(join(tmpdir(), 'swarmdrop-folder-')), 'lecture');
  const sha256 = new Map<string, string>();
  Object.entries(TREE).forEach(([path, size], i) => {
    const bytes = randomBytes(size, 300 + i);
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), bytes);
    sha256.set(`lecture/${path}`, sha256Hex(bytes));
  });
  return { root, sha256 };
}

/** The archive's entries (folders left out) and each file's SHA-256. */
function zipHashes(zip: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, bytes] of Object.entries(unzipSync(zip))) if (!name.endsWith('/')) out.set(name, sha256Hex(bytes));
  return out;
}

async function opfsFile(page: Page, name: string): Promise<Uint8Array> {
  const bytes = await page.evaluate(async (n) => {
    const file = await (await (await navigator.storage.getDirectory()).getFileHandle(n)).getFile();
    return Array.from(new Uint8Array(await file.arrayBuffer()));
  }, name);
  return Uint8Array.from(bytes);
}

test('a folder of nested files: shared with its tree, two peers save it as one ZIP, every entry matches', async ({
  browser,
  baseURL,
}) => {
  const { root, sha256 } = makeFolder();
  const sharer = await newApp(browser, baseURL!);
  await sharer.page.goto('/');
  await expect(sharer.page.getByTestId('tracker-status')).toHaveAttribute('data-status', 'open');
  await sharer.page.getByTestId('share-folder-input').setInputFiles(root);
  const link = (await sharer.page.getByTestId('share-link').textContent())!.trim();

  // One downloader streams the ZIP into a file it picked, the other gets it as a browser download.
  const streaming = await newApp(browser, baseURL!);
  await installOpfsSavePicker(streaming.context);
  const handed = await newApp(browser, baseURL!, { noSavePicker: true });
  for (const peer of [streaming, handed]) await peer.page.goto(link);
  for (const peer of [streaming, handed]) {
    await expect(peer.page.getByTestId('download-complete')).toBeVisible({ timeout: 120_000 });
    // The tree is listed with its paths, sorted, each file's SHA-256 beside it.
    const listed = [...sha256.keys()].sort();
    await expect(peer.page.getByTestId('file-sha256')).toHaveText(listed.map((p) => sha256.get(p)!));
  }

  await streaming.page.getByTestId('save-zip').click();
  await expect(streaming.page.getByTestId('save-zip-status')).toHaveAttribute('data-state', 'saved');
  expect(await pickedNames(streaming.page)).toEqual(['lecture.zip']);
  expect(zipHashes(await opfsFile(streaming.page, 'lecture.zip'))).toEqual(sha256);

  const [download] = await Promise.all([
    handed.page.waitForEvent('download'),
    handed.page.getByTestId('save-zip').click(),
  ]);
  expect(download.suggestedFilename()).toBe('lecture.zip');
  expect(zipHashes(readFileSync(await download.path()))).toEqual(sha256);

  // One file of the folder saves alone, under its own name.
  const index = [...sha256.keys()].sort().indexOf('lecture/week 2/data/set.bin');
  const [single] = await Promise.all([
    handed.page.waitForEvent('download'),
    handed.page.getByTestId('save-file').nth(index).click(),
  ]);
  expect(single.suggestedFilename()).toBe('set.bin');
  expect(sha256Hex(readFileSync(await single.path()))).toBe(sha256.get('lecture/week 2/data/set.bin'));
  await Promise.all([sharer.context.close(), streaming.context.close(), handed.context.close()]);
});
