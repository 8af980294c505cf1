/**
 * The round as it happens: peers complete over time (steps) and the average progress (line),
 * against the two bounds as vertical lines. The measured D lands to the right of D_P2P; in a
 * client-server round it lands near D_cs. Each completion is a dot on the steps, a free rider's
 * dashed and marked "0↑" as in the graph, so the class sees the two groups finish apart.
 */
import { useT } from '../../i18n';
import { formatSeconds } from '../format';
import type { Measured } from '../model/measured';
import type { SeriesPoint } from '../store';
import { Axes, niceTicks, sx, sy, type Frame } from './chart-axes';
import { Legend } from './Legend';
import { palette } from './palette';

export function CompletionChart({ m, points }: { m: Measured; points: SeriesPoint[] }) {
  const t = useT();
  const N = Math.max(m.N, 1);
  const tMax = Math.max(10, m.elapsed, (m.boundCS ?? 0) * 1.08, (m.boundP2P ?? 0) * 1.08, points.at(-1)?.t ?? 0) * 1.02;
  const f: Frame = { x0: 64, y0: 40, w: 880, h: 240, xMax: niceTicks(tMax).at(-1)! || tMax, yMax: N };
  const steps = points.length
    ? 'M' +
      [{ t: 0, done: 0 }, ...points]
        .map((p, i, a) => `${sx(f, p.t)},${sy(f, i ? a[i - 1]!.done : 0)} L${sx(f, p.t)},${sy(f, p.done)}`)
        .join(' L')
    : '';
  const progress = points.length
    ? 'M' + [{ t: 0, progress: 0 }, ...points].map((p) => `${sx(f, p.t)},${sy(f, p.progress * N)}`).join(' L')
    : '';
  const bound = (v: number | null, color: string, label: string, dy: number) =>
    v !== null && (
      <g>
        <line
          x1={sx(f, v)}
          x2={sx(f, v)}
          y1={f.y0}
          y2={f.y0 + f.h}
          stroke={color}
          strokeWidth={3}
          strokeDasharray="8 6"
        />
        <text
          x={sx(f, v) + (sx(f, v) > 760 ? -6 : 6)}
          y={f.y0 + dy}
          textAnchor={sx(f, v) > 760 ? 'end' : 'start'}
          fill={color}
          fontSize={17}
          fontWeight={700}
        >
          {label} {formatSeconds(v)}
        </text>
      </g>
    );
  return (
    <figure className="cls-card cls-chart">
      <figcaption>
        {t('cls.chart.title')} · {t('term.distributionTime')}
      </figcaption>
      <svg viewBox="0 0 1000 340" role="img" aria-label={t('cls.chart.title')} data-testid="completion-chart">
        <Axes
          f={f}
          xTicks={niceTicks(f.xMax)}
          yTicks={niceTicks(N, Math.min(N, 6)).filter((v) => Number.isInteger(v))}
          xLabel={t('cls.chart.time')}
          yLabel={t('cls.chart.peersDone')}
        />
        {bound(m.boundP2P, palette.p2p, 'D_P2P ≥', 18)}
        {bound(m.boundCS, palette.cs, 'D_cs ≥', 40)}
        <path d={progress} fill="none" stroke={palette.peer} strokeOpacity={0.45} strokeWidth={3} />
        <path d={steps} fill="none" stroke={palette.done} strokeWidth={5} strokeLinejoin="round" />
        {m.completions.map((c, i) => (
          <CompletionDot key={c.id} x={sx(f, c.seconds)} y={sy(f, i + 1)} freeRider={c.freeRider} />
        ))}
      </svg>
      <Legend
        entries={[
          { shape: 'line', style: { background: palette.done }, label: t('cls.chart.peersDone') },
          { shape: 'line', style: { background: palette.peer, opacity: 0.45 }, label: t('cls.chart.progress') },
          { shape: 'line dashed', style: { borderColor: palette.cs }, label: t('cls.num.boundCS') },
          { shape: 'line dashed', style: { borderColor: palette.p2p }, label: t('cls.num.boundP2P') },
          ...(m.freeRiders.length > 0
            ? [
                { shape: 'dot', style: { background: palette.done }, label: t('cls.chart.contributorDone') },
                { shape: 'ring', style: { borderColor: palette.optimistic }, label: t('cls.chart.freeRiderDone') },
              ]
            : []),
        ]}
      />
    </figure>
  );
}

function CompletionDot({ x, y, freeRider }: { x: number; y: number; freeRider: boolean }) {
  if (!freeRider)
    return (
      <circle cx={x} cy={y} r={8} fill={palette.done} stroke="#fff" strokeWidth={3} data-completion="contributor" />
    );
  return (
    <g data-completion="free-rider">
      <circle cx={x} cy={y} r={9} fill="#fff" stroke={palette.optimistic} strokeWidth={4} strokeDasharray="5 4" />
      <text x={x} y={y - 15} textAnchor="middle" fontSize={15} fontWeight={700} fill={palette.optimistic}>
        0↑
      </text>
    </g>
  );
}
