/**
 * The web surface in a real browser: the app works under its Content-Security-Policy without a
 * single violation, a spoofed file name is shown neutralised with its real extension, and a page
 * of another origin can neither frame the app nor open the tracker from the visitor's browser.
 */
import { expect, test, type Page } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeFile, newApp, savedSha, share, shownSha, waitComplete } from './app';

/** Console lines about CSP: a violation means the policy blocks something the app does. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test('a bidi-spoofed name is shown neutralised with its real extension; no CSP violation on either page', async ({
  browser,
  baseURL,
}) => {
  const file = makeFile('invoice\u202Egpj.exe', 300 * 1024, 5);
  const sharer = await newApp(browser, baseURL!);
  const downloader = await newApp(browser, baseURL!);
  const sharerViolations = cspViolations(sharer.page);
  const downloaderViolations = cspViolations(downloader.page);
  const link = await share(sharer.page, file);
  await expect(sharer.page.locator('img').first()).toBeVisible(); // the QR code: a data: image
  await downloader.page.goto(link);
  const name = downloader.page.getByTestId('share-name');
  await expect(name).toHaveText('invoice\uFFFDgpj.exe');
  await expect(name.locator('.file-ext')).toHaveText('.exe');
  await waitComplete(downloader.page);
  expect(await shownSha(downloader.page)).toBe(file.sha256);
  expect(await savedSha(downloader.page)).toBe(file.sha256);
  expect([...sharerViolations, ...downloaderViolations]).toEqual([]);

  // The policy lets the page compile WebAssembly (the whole-file SHA-256, src/worker/hasher.ts)
  // but still evaluates no JavaScript from strings.
  const allowed = await downloader.page.evaluate(async () => {
    const emptyModule = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const wasm = await WebAssembly.compile(emptyModule).then(
      () => true,
      () => false,
    );
    const evaluates = (() => {
      try {
        return (0, eval)('1') === 1;
      } catch {
        return false; // EvalError: the policy refused it
      }
    })();
    return { wasm, evaluates };
  });
  expect(allowed).toEqual({ wasm: true, evaluates: false });
});

test('a page of another origin can neither frame the app nor open its tracker', async ({ browser, baseURL }) => {
  // Another origin on the same loopback address (a different port), so the browser's own
  // private-network rules play no part: only the tracker's Origin check can refuse the socket.
  const evil = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>evil</title>'),
  );
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  const { page } = await newApp(browser, baseURL!);
  const tracker = new URL('/tracker', baseURL).href.replace(/^http/, 'ws');
  await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
  const opened = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onclose = () => resolve('refused');
        setTimeout(() => resolve('timeout'), 10_000);
      }),
    tracker,
  );
  expect(opened).toBe('refused');

  // Framed, the app would load; refused by frame-ancestors, Chromium shows its error page there.
  await page.evaluate((url) => {
    const frame = document.createElement('iframe');
    frame.src = url;
    document.body.append(frame);
  }, baseURL!);
  await expect.poll(() => page.frames().map((f) => f.url())).toContainEqual(expect.stringMatching(/^chrome-error:/));
  evil.close();
});
