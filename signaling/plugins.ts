/**
 * Tracker extensions that `npm start` installs, one line per module (docs/TRACKER.md,
 * "Extending the tracker").
 */
import { registerClassroom } from './classroom.ts';
import type { TrackerPlugin } from './extensions.ts';

export const plugins: TrackerPlugin[] = [
  (host) => registerClassroom(host), // classroom mode's watch/stats/control messages (docs/CLASSROOM.md)
];
