/**
 * Classroom mode end to end: a teacher shares a file with classroom mode on and opens the
 * projector; six students join in their own contexts. The projector shows seven nodes and the
 * tracker, chunk maps, measured D and both bounds; a client-server round and a P2P round with the
 * same caps are measured in the same room (printed with their ratio); a student cannot change the
 * caps; the export holds the rounds. Screenshots of the projector (1920x1080) and a student (phone).
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { makeFile, newApp, share, waitComplete } from './app';
import { roundTimeline } from './classroom-timeline';

const KiB = 1024;
const STUDENTS = 6;

/** Seconds from a `[data-testid]` whose text is like "12.3 s". */
async function seconds(page: Page, testid: string): Promise<number> {
  const text = (await page.getByTestId(testid).textContent()) ?? '';
  const s = Number.parseFloat(text);
  if (!Number.isFinite(s)) throw new Error(`${testid} shows ${JSON.stringify(text)}`);
  return s;
}

/**
 * Sets the caps and mode on the projector and starts a new round; every student (its download is
 * complete) is asked and answers "Download again". Resolves with the round's measured D once its
 * result row exists. D must not be below `bound` (the lecture's bound of the mode, from the caps):
 * checked on the figure itself, so a D below it fails here with both numbers, and then the wall
 * must show that bound (it withholds bounds only when D came out below one).
 */
async function runRound(
  projector: Page,
  students: Page[],
  round: number,
  mode: 'cs' | 'p2p',
  caps: { us: number; u: number },
  bound: number,
  during?: () => Promise<void>,
): Promise<number> {
  await projector.getByTestId('cap-sharer-up').fill(String(caps.us));
  await projector.getByTestId('cap-peer-up').fill(String(caps.u));
  await projector.getByTestId('cap-peer-down').fill('0');
  await projector.getByTestId(`mode-${mode}`).check();
  await projector.getByTestId('new-round').click();
  await Promise.all(students.map((page) => page.getByTestId('round-download-again').click()));
  await during?.();
  const row = projector.locator(`[data-testid=results-table] tr[data-round="${round}"]`);
  // The round's result row, or (a D below a bound) the wall withholding its bounds: then D is read
  // and the check below fails at once with both figures, instead of waiting for a row that never comes.
  const withheld = projector.locator('[data-testid=bound-note][data-need=inconsistent]');
  await expect(row.or(withheld).first()).toBeVisible({ timeout: 150_000 });
  await expect(projector.getByTestId('measured-d')).toHaveAttribute('data-final', 'true');
  if (await withheld.isVisible()) await expect(projector.getByTestId('measured-d')).toHaveText(/^\d/);
  else await expect(row).toHaveAttribute('data-mode', mode);
  const D = await seconds(projector, 'measured-d');
  expect(D, `round ${round} (${mode}): measured D below the bound ${bound.toFixed(1)} s`).toBeGreaterThanOrEqual(
    Math.round(bound * 10) / 10,
  );
  await expect(projector.getByTestId(mode === 'cs' ? 'bound-cs' : 'bound-p2p')).toHaveText(`${bound.toFixed(1)} s`);
  return D;
}

test('classroom: projector + six students, client-server vs P2P round, student cannot control, export', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const file = makeFile('lecture-slides.bin', 1024 * KiB, 55);

  // The teacher shares with classroom mode on and opens the projector in the same browser.
  const teacher = await newApp(browser, baseURL!);
  const link = await share(teacher.page, file);
  await teacher.page.getByTestId('classroom-toggle').check();
  const projectorHref = await teacher.page.getByTestId('projector-link').getAttribute('href');
  await teacher.page.getByTestId('classroom-panel').screenshot({ path: 'test-results/classroom-teacher-toggle.png' });
  expect(projectorHref).toMatch(/#\/classroom\/[A-Za-z0-9_-]{43}\/[0-9a-f]{64}$/);
  const [swarm, roomKey] = projectorHref!.split('/').slice(-2) as [string, string];
  const projector = await teacher.context.newPage();
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await projector.goto(projectorHref!);
  await expect(projector.locator('[data-testid=swarm-graph] [data-peer-id]')).toHaveCount(1);

  // Six students join from the classroom link (the projector's QR code encodes it): the share link
  // plus the room key, so their pages apply controls signed with it (an ordinary share link doesn't).
  const classroomLink = await projector.getByTestId('join-link').getAttribute('href');
  expect(classroomLink).toBe(`${link.replace('#/s/', '#/join/')}/${roomKey}`);
  const students = await Promise.all(Array.from({ length: STUDENTS }, () => newApp(browser, baseURL!)));
  await Promise.all(students.map(({ page }) => page.goto(classroomLink!)));
  await expect(students[0]!.page).toHaveURL(link);
  for (const { page } of students) await waitComplete(page);

  const graph = projector.getByTestId('swarm-graph');
  await expect(graph.locator('[data-peer-id]')).toHaveCount(STUDENTS + 1);
  await expect(graph.getByTestId('graph-tracker')).toHaveCount(1);
  await expect(projector.locator('[data-chunk-map]')).toHaveCount(STUDENTS + 1);
  // A class-sized file gets small chunks (1 MiB: 64 of 16 KiB), and the wall says so.
  await expect(projector.locator('.cls-params div', { has: projector.getByTestId('num-f') })).toContainText(
    '64 chunks of 16 KiB',
  );
  // Every chunk map fills: each holds all 64 chunks.
  await expect
    .poll(() =>
      projector
        .locator('[data-chunk-map]')
        .evaluateAll((rows) => rows.every((r) => r.getAttribute('data-have') === '64')),
    )
    .toBe(true);
  await expect(projector.getByTestId('measured-d')).toHaveAttribute('data-final', 'true');
  await expect(projector.getByTestId('measured-d')).toHaveText(/^\d+(\.\d)? s$/);
  // The no-caps rule: round 0 ran without caps, so the rates the bounds need are unknown. The wall
  // says so instead of printing a bound computed from sampled peaks (which can exceed D).
  for (const id of ['bound-cs', 'bound-p2p']) await expect(projector.getByTestId(id)).toHaveText('–');
  await expect(projector.getByTestId('bound-note')).toHaveAttribute('data-need', 'caps');
  // The form proposes caps for the first capped round (visible, changeable).
  await expect(projector.getByTestId('cap-sharer-up')).toHaveValue('1024');
  await expect(projector.getByTestId('cap-peer-up')).toHaveValue('512');
  await expect(students[0]!.page.getByTestId('classroom-notice')).toBeVisible();

  // Same caps, two modes: u_s = 256 KiB/s, every u_i = 512 KiB/s.
  const caps = { us: 256, u: 512 };
  const pages = students.map((s) => s.page);
  // F = 1 MiB, N = 6: D_cs = NF/u_s = 24 s; D_P2P = max(F/u_s, NF/(u_s + Σu_i)) = F/u_s = 4 s.
  const csSince = Date.now();
  const dCS = await runRound(projector, pages, 1, 'cs', caps, (STUDENTS * 1024) / caps.us);
  const boundCS = await seconds(projector, 'bound-cs');
  console.log((await roundTimeline(projector, teacher.page, pages, 1, csSince)).text);
  const p2pSince = Date.now();
  const dP2P = await runRound(projector, pages, 2, 'p2p', caps, 1024 / caps.us, async () => {
    // The wall mid-round: chunks flowing, maps filling, unchoke marks.
    await projector.waitForTimeout(3000);
    await projector.evaluate(() => window.scrollTo(0, 0));
    await projector.screenshot({ path: 'test-results/classroom-projector-live-1920x1080.png' });
  });
  const boundP2P = await seconds(projector, 'bound-p2p');
  console.log((await roundTimeline(projector, teacher.page, pages, 2, p2pSince)).text);
  await expect(projector.locator('[data-chunk-map]')).toHaveCount(STUDENTS + 1);
  console.log(
    `classroom: N=${STUDENTS}, F=1 MiB, u_s=256 KiB/s, u_i=512 KiB/s: client-server D=${dCS.toFixed(1)} s (bound ${boundCS} s), ` +
      `P2P D=${dP2P.toFixed(1)} s (bound ${boundP2P} s), ratio cs/p2p = ${(dCS / dP2P).toFixed(2)}, ` +
      `P2P D/D_P2P = ${(dP2P / boundP2P).toFixed(2)} (browser goal <= 1.25, measured, not asserted)`,
  );
  // With caps the bounds are shown, and a measured D is never below the bound of its mode.
  expect(dCS).toBeGreaterThanOrEqual(boundCS);
  expect(dP2P).toBeGreaterThanOrEqual(boundP2P);
  expect(dCS).toBeGreaterThan(dP2P * 1.5);
  await projector.evaluate(() => window.scrollTo(0, 0));
  await projector.screenshot({ path: 'test-results/classroom-projector-1920x1080.png' });

  // A student opens the projector: view only; a control signed with another key is refused and changes nothing.
  const spy = students[1]!.page;
  await spy.goto(projectorHref!);
  await expect(spy.getByTestId('controls-readonly')).toBeVisible();
  await expect(spy.getByTestId('new-round')).toBeDisabled();
  const refusal = await spy.evaluate(
    async ({ swarm, key }) => {
      const ws = new WebSocket(`ws://${location.host}/tracker`);
      const replies: Array<{ type: string; code?: string }> = [];
      ws.onmessage = (e) => {
        const m = JSON.parse(String(e.data));
        replies.push(m);
        if (m.type === 'welcome')
          ws.send(
            JSON.stringify({
              type: 'classroom-control',
              swarm,
              key,
              body: JSON.stringify({
                round: 9,
                mode: 'cs',
                sharerUp: 16384,
                peerUp: 16384,
                peerDown: 16384,
                perPeer: {},
                seq: 9e15,
              }),
              sig: '0'.repeat(128),
            }),
          );
      };
      ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', version: 1 }));
      for (let i = 0; i < 50 && !replies.some((r) => r.type === 'classroom-error'); i++)
        await new Promise((r) => setTimeout(r, 100));
      ws.close();
      return replies.find((r) => r.type === 'classroom-error')?.code;
    },
    { swarm, key: roomKey },
  );
  expect(refusal).toBe('bad-secret');
  await projector.waitForTimeout(1500);
  await expect(projector.getByTestId('new-round')).toContainText('3'); // still round 2: the next is 3

  // The export holds the rounds.
  const [json] = await Promise.all([projector.waitForEvent('download'), projector.getByTestId('export-json').click()]);
  const exported = JSON.parse(readFileSync(await json.path(), 'utf8'));
  expect(exported.rounds.map((r: { round: number; mode: string }) => [r.round, r.mode])).toEqual(
    expect.arrayContaining([
      [1, 'cs'],
      [2, 'p2p'],
    ]),
  );
  const [csv] = await Promise.all([projector.waitForEvent('download'), projector.getByTestId('export-csv').click()]);
  const lines = readFileSync(await csv.path(), 'utf8')
    .trim()
    .split('\n');
  expect(lines[0]).toContain('measured_D_s');
  expect(lines.some((l) => l.startsWith('1,cs,6,'))).toBe(true);
  expect(lines.some((l) => l.startsWith('2,p2p,6,'))).toBe(true);

  // A student's phone, back on the share view.
  const phone = students[2]!.page;
  await phone.setViewportSize({ width: 390, height: 844 });
  await projector.screenshot({ path: 'test-results/classroom-projector-full.png', fullPage: true });
  await phone.screenshot({ path: 'test-results/classroom-student-phone.png', fullPage: true });
  await spy.setViewportSize({ width: 390, height: 844 });
  await spy.screenshot({ path: 'test-results/classroom-projector-phone.png', fullPage: true });

  await Promise.all([teacher, ...students].map((p) => p.context.close()));
});

test('the projector link carries no link secret: in another browser it shows no join code and cannot reach the file; in the sharer’s it links back to the share', async ({
  browser,
  baseURL,
}) => {
  const file = makeFile('back-link.bin', 256 * KiB, 56);
  const teacher = await newApp(browser, baseURL!);
  const link = await share(teacher.page, file);
  const secret = link.split('/').pop()!;
  await teacher.page.getByTestId('classroom-toggle').check();
  const projectorHref = (await teacher.page.getByTestId('projector-link').getAttribute('href'))!;
  const swarm = projectorHref.split('/').slice(-2)[0]!;
  expect(projectorHref).not.toContain(secret);
  expect(swarm).not.toBe(secret);
  // A browser that opened only the projector: the app did not start (no tracker connection of its own).
  const viewer = await newApp(browser, baseURL!);
  // A projector link of classroom protocol 1 (no room key) gets a plain message.
  await viewer.page.goto(`/#/classroom/${swarm}`);
  await expect(viewer.page.getByTestId('old-projector-link')).toBeVisible();
  await viewer.page.goto(projectorHref);
  await expect(viewer.page.getByTestId('projector')).toBeVisible();
  await expect(viewer.page.getByTestId('tracker-status')).toHaveCount(0);
  await expect(viewer.page.getByTestId('join-link')).toHaveCount(0);
  await expect(viewer.page.getByTestId('join-link-elsewhere')).toBeVisible();
  await expect(viewer.page.getByTestId('back-link')).toHaveAttribute('href', '#/files');
  // In the sharer's browser the projector knows the share's link: its join code and back link.
  const own = await teacher.context.newPage();
  await own.goto(projectorHref);
  await expect(own.getByTestId('join-link')).toHaveAttribute('href', new RegExp(`#/join/${secret}/`));
  await expect(own.getByTestId('back-link')).toHaveAttribute('href', `#/s/${secret}`);
  await Promise.all([teacher, viewer].map((p) => p.context.close()));
});
