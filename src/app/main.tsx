import { loadIceConfig } from './net/ice-config';
import { createPageRuntime } from './runtime-instance';
import { useAppStore } from './state/store';
import { TrackerClient, trackerUrl } from './tracker-client';
import { TEST_FLAGS_KEY } from './test-flags';
import { startClassroom } from './classroom/classroom-runtime';
import { adoptClassroomLink } from './classroom/join-link';
import { perfMark } from './perf-mark';
import { currentPath, SHARE_PATH } from './paths';

async function boot(): Promise<void> {
  perfMark('boot');
  // /config.json, the tracker connection and the worker's start-up (fetching and compiling the
  // engine bundle) all go at once; a download link does not wait for the worker (below).
  const iceServers = loadIceConfig().then((c) => {
    perfMark('ice-config');
    return c.iceServers;
  });
  const tracker = new TrackerClient({ url: trackerUrl(location), maxBackoffMs: 10_000 });
  const runtime = createPageRuntime(tracker, iceServers);
  // Removals still undoable when the page is left: delete now (the next load finishes what this can't).
  addEventListener('pagehide', () => runtime.flushRemovals());
  if (localStorage.getItem(TEST_FLAGS_KEY)) {
    // Test-only hooks, present only when a test opted in with test flags (docs/TESTING.md).
    (window as unknown as { __swarmdropTest: unknown }).__swarmdropTest = { crashWorker: () => runtime.crashWorker() };
  }
  const started = runtime.start();
  // A download link: announced as soon as the tracker and the ICE servers are there, while the
  // worker still starts (the download view asks again once the worker is ready: a no-op then).
  const link = SHARE_PATH.exec(currentPath())?.groups?.secret;
  if (link) void runtime.openShare(link);
  await started;
  startClassroom(runtime, tracker);
}

// The projector and what-if pages take no part in swarms: a projector tab in the sharer's browser
// must not seed the share a second time. Their back link leads into the app: it boots then.
let booted = false;
function bootUnlessClassroom(): void {
  adoptClassroomLink(); // a classroom link becomes its share's page (and the room key is kept)
  if (booted || /^#\/(classroom\/|what-if)/.test(location.hash)) return;
  booted = true;
  boot().catch((err) => {
    console.error(err);
    useAppStore.getState().setWorker('failed');
  });
}
bootUnlessClassroom();
addEventListener('hashchange', bootUnlessClassroom);

// The views load beside the boot, requested after it so the worker's bundle is fetched first
// (docs/APP.md, "Boot").
import('./render').then((m) => m.renderApp()).catch((err) => console.error('the views failed to load', err));
