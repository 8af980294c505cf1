/** A chart's legend: a swatch (a box, or a line, dot or ring by class name) and its label per entry. */
import type { CSSProperties } from 'react';

export interface LegendEntry {
  /** The swatch's shape: '' for a box, else 'line', 'line dashed', 'dot' or 'ring' (classroom.css). */
  shape?: string;
  style: CSSProperties;
  label: string;
}

export function Legend({ entries }: { entries: LegendEntry[] }) {
  return (
    <ul className="cls-legend">
      {entries.map((e) => (
        <li key={e.label}>
          <i className={e.shape || undefined} style={e.style} />
          {e.label}
        </li>
      ))}
    </ul>
  );
}
