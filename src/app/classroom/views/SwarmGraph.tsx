/**
 * The swarm as a graph: the sharer and every peer on a ring, the tracker in the middle (it knows
 * everyone but carries no chunks), neighbor links, and chunk flows drawn by direction and rate.
 * Dots near a sender mark whom it has unchoked; the orange ring marks its optimistic unchoke.
 */
import { useT } from '../../i18n';
import type { PeerView } from '../model/measured';
import { Legend } from './Legend';
import { palette } from './palette';

const W = 1000;
const H = 720;
const CX = W / 2;
const CY = H / 2 + 10;
const R_NODE = 38;

interface Props {
  peers: PeerView[];
  labels: ReadonlyMap<string, string>;
  /** Peers the teacher made free riders: drawn with a dashed outline and marked "0↑". */
  freeRiders?: ReadonlySet<string>;
}

interface Pos {
  x: number;
  y: number;
}

export function SwarmGraph({ peers, labels, freeRiders }: Props) {
  const t = useT();
  const ordered = [...peers].sort((a, b) =>
    a.role === b.role
      ? (labels.get(a.id) ?? a.id).localeCompare(labels.get(b.id) ?? b.id, 'en', { numeric: true })
      : a.role === 's'
        ? -1
        : 1,
  );
  const pos = new Map<string, Pos>();
  const rx = W / 2 - 80;
  const ry = H / 2 - 70;
  ordered.forEach((p, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(ordered.length, 1);
    pos.set(p.id, { x: CX + rx * Math.cos(a), y: CY + ry * Math.sin(a) });
  });

  // Wide enough for the label in either language (CJK glyphs are about twice as wide).
  const trackerLabel = t('term.tracker');
  const trackerW = 40 + [...trackerLabel].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 26 : 15), 0);
  const maxRate = Math.max(1, ...peers.flatMap((p) => p.neighbors.map((n) => n.up)));
  const links = new Map<string, { a: Pos; b: Pos; relayed: boolean }>();
  const flows: Array<{ key: string; from: Pos; to: Pos; rate: number }> = [];
  const marks: Array<{ key: string; at: Pos; optimistic: boolean }> = [];
  // A peer holding every chunk receives nothing more: a rate still reported towards it is the tail of a smoothed average.
  const whole = new Set(peers.filter((p) => p.have.length > 0 && p.have.every(Boolean)).map((p) => p.id));
  for (const p of peers) {
    const a = pos.get(p.id)!;
    for (const n of p.neighbors) {
      const b = pos.get(n.id);
      if (!b) continue;
      const key = [p.id, n.id].sort().join('|');
      links.set(key, { a, b, relayed: n.relayed || (links.get(key)?.relayed ?? false) });
      if (n.up > 0 && !whole.has(n.id)) flows.push({ key: `${p.id}>${n.id}`, from: a, to: b, rate: n.up });
      if (n.weUnchoke || n.optimistic)
        marks.push({ key: `${p.id}!${n.id}`, at: along(a, b, R_NODE + 16), optimistic: n.optimistic });
    }
  }

  return (
    <figure className="cls-card cls-graph">
      <figcaption>{t('cls.graph.title')}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} data-testid="swarm-graph" role="img" aria-label={t('cls.graph.title')}>
        <defs>
          <marker
            id="cls-arrow"
            viewBox="0 0 10 10"
            refX="7"
            refY="5"
            markerWidth="22"
            markerHeight="22"
            markerUnits="userSpaceOnUse"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill={palette.flow} />
          </marker>
        </defs>
        {/* tracker spokes: every peer registered with the tracker */}
        {ordered.map((p) => {
          const a = pos.get(p.id)!;
          return (
            <line
              key={`t-${p.id}`}
              x1={CX}
              y1={CY}
              x2={a.x}
              y2={a.y}
              stroke={palette.tracker}
              strokeOpacity={0.18}
              strokeDasharray="3 7"
              strokeWidth={2}
            />
          );
        })}
        {/* neighbor links; dashed when the bytes go through a TURN relay */}
        {[...links].map(([key, { a, b, relayed }]) => (
          <line
            key={`l-${key}`}
            data-testid="graph-link"
            data-relayed={relayed ? 'true' : 'false'}
            x1={a.x}
            y1={a.y}
            x2={b.x}
            y2={b.y}
            stroke={palette.idleLink}
            strokeWidth={relayed ? 2.5 : 1.5}
            strokeDasharray={relayed ? '10 6' : undefined}
          />
        ))}
        {flows.map((f) => (
          <path
            key={f.key}
            className="cls-flow"
            d={curve(f.from, f.to)}
            fill="none"
            stroke={palette.flow}
            strokeOpacity={0.85}
            strokeWidth={2 + 12 * Math.sqrt(f.rate / maxRate)}
            strokeLinecap="round"
            markerEnd="url(#cls-arrow)"
          />
        ))}
        {marks.map((m) =>
          m.optimistic ? (
            <circle key={m.key} cx={m.at.x} cy={m.at.y} r={9} fill="#fff" stroke={palette.optimistic} strokeWidth={5} />
          ) : (
            <circle key={m.key} cx={m.at.x} cy={m.at.y} r={7} fill={palette.unchoked} stroke="#fff" strokeWidth={2} />
          ),
        )}
        <g data-testid="graph-tracker">
          <rect
            x={CX - trackerW / 2}
            y={CY - 30}
            width={trackerW}
            height={60}
            rx={14}
            fill="#f5f3ff"
            stroke={palette.tracker}
            strokeWidth={3}
          />
          <text x={CX} y={CY + 9} textAnchor="middle" fontSize={26} fontWeight={700} fill={palette.tracker}>
            {t('term.tracker')}
          </text>
        </g>
        {ordered.map((p) => (
          <PeerNode
            key={p.id}
            peer={p}
            at={pos.get(p.id)!}
            label={labels.get(p.id) ?? '?'}
            freeRider={freeRiders?.has(p.id) ?? false}
          />
        ))}
      </svg>
      <Legend
        entries={[
          { style: { background: palette.sharer }, label: t('cls.graph.sharer') },
          { style: { background: palette.peer }, label: t('cls.graph.peer') },
          { style: { background: palette.done }, label: t('cls.graph.done') },
          { shape: 'line', style: { background: palette.flow }, label: t('cls.graph.flow') },
          { shape: 'line', style: { background: palette.idleLink }, label: t('term.neighbors') },
          { shape: 'dot', style: { background: palette.unchoked }, label: t('term.unchoked') },
          { shape: 'ring', style: { borderColor: palette.optimistic }, label: t('term.optimisticallyUnchoked') },
        ]}
      />
    </figure>
  );
}

function PeerNode({ peer, at, label, freeRider }: { peer: PeerView; at: Pos; label: string; freeRider: boolean }) {
  const have = peer.have.filter(Boolean).length;
  const frac = peer.chunks ? have / peer.chunks : 0;
  const done = peer.role === 'p' && frac === 1;
  const color = peer.role === 's' ? palette.sharer : done ? palette.done : palette.peer;
  const circ = 2 * Math.PI * (R_NODE + 7);
  return (
    <g
      data-peer-id={peer.id}
      data-progress={Math.round(frac * 100)}
      data-free-rider={freeRider ? 'true' : undefined}
      transform={`translate(${at.x},${at.y})`}
    >
      <circle r={R_NODE + 7} fill="none" stroke={palette.grid} strokeWidth={7} />
      <circle
        r={R_NODE + 7}
        fill="none"
        stroke={color}
        strokeWidth={7}
        strokeDasharray={`${circ * frac} ${circ}`}
        transform="rotate(-90)"
      />
      <circle
        r={R_NODE}
        fill={done ? '#ecfdf5' : peer.role === 's' ? '#fffbeb' : '#fff'}
        stroke={color}
        strokeWidth={3}
        strokeDasharray={freeRider ? '6 5' : undefined}
      />
      {freeRider && (
        <text y={-R_NODE - 16} textAnchor="middle" fontSize={16} fontWeight={700} fill={palette.optimistic}>
          0↑
        </text>
      )}
      <text y={-2} textAnchor="middle" fontSize={26} fontWeight={800} fill={color}>
        {label}
      </text>
      <text y={22} textAnchor="middle" fontSize={16} fill={palette.muted}>
        {Math.round(frac * 100)}%
      </text>
    </g>
  );
}

/** A point `d` along the straight line from a towards b. */
function along(a: Pos, b: Pos, d: number): Pos {
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  return { x: a.x + ((b.x - a.x) * d) / len, y: a.y + ((b.y - a.y) * d) / len };
}

/** A gentle curve a -> b bending to its right, so a->b and b->a flows don't overlap. */
function curve(a: Pos, b: Pos): string {
  const s = along(a, b, R_NODE + 10);
  const e = along(b, a, R_NODE + 14);
  const mx = (s.x + e.x) / 2;
  const my = (s.y + e.y) / 2;
  const dx = e.x - s.x;
  const dy = e.y - s.y;
  const k = 0.12;
  return `M${s.x},${s.y} Q${mx - dy * k},${my + dx * k} ${e.x},${e.y}`;
}
