/** Colors shared by every classroom visual, chosen to read on a projector (and for color-blind eyes: blue/orange). */
export const palette = {
  sharer: '#d97706',
  peer: '#2563eb',
  done: '#059669',
  tracker: '#7c3aed',
  flow: '#0e7490',
  idleLink: '#cbd5e1',
  unchoked: '#059669',
  optimistic: '#ea580c',
  have: '#2563eb',
  inFlight: '#f59e0b',
  missing: '#e2e8f0',
  cs: '#dc2626',
  p2p: '#0891b2',
  ink: '#0f172a',
  muted: '#64748b',
  grid: '#e2e8f0',
};
