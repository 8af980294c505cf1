/**
 * Tracker extensions that `npm start` installs. Add one line per module, e.g.
 *   import { installClassroom } from './classroom.ts';
 *   export const plugins: TrackerPlugin[] = [installClassroom];
 * See docs/TRACKER.md, "Extending the tracker".
 */
import type { TrackerPlugin } from './extensions.ts';

export const plugins: TrackerPlugin[] = [];
