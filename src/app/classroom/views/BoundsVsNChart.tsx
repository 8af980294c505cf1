/**
 * Distribution time against N, as in the lecture note's figure: the two bounds as curves for given
 * F, u_s, u, d, and measured (or simulated) times as points. Used by the results of the rounds and
 * by the what-if page. `svgRef` lets the caller export the chart as SVG or PNG.
 */
import type { Ref } from 'react';
import type { ClassroomMode } from '../../../protocol/classroom';
import { useT } from '../../i18n';
import { boundCS, boundP2P } from '../model/bounds';
import { Axes, niceTicks, sx, sy, type Frame } from './chart-axes';
import { palette } from './palette';

export interface CurveParams {
  F: number;
  us: number;
  u: number;
  d: number;
}
export interface TimePoint {
  N: number;
  D: number;
  mode: ClassroomMode;
  label?: string;
}

interface Props {
  params: CurveParams;
  maxN: number;
  points: TimePoint[];
  svgRef?: Ref<SVGSVGElement>;
  title: string;
  legend?: { cs: string; p2p: string; pointsCS: string; pointsP2P: string };
  testid?: string;
}

export function BoundsVsNChart({ params, maxN, points, svgRef, title, legend, testid }: Props) {
  const t = useT();
  const { F, us, u, d } = params;
  const ns = Array.from({ length: maxN + 1 }, (_, n) => n);
  const cs = ns.map((n) => boundCS({ N: n, F, us, uSum: 0, dmin: d }));
  const p2p = ns.map((n) => boundP2P({ N: n, F, us, uSum: n * u, dmin: d }));
  const yMaxRaw = Math.max(1, ...cs, ...points.map((p) => p.D)) * 1.05;
  const yTicks = niceTicks(yMaxRaw);
  const f: Frame = { x0: 74, y0: 72, w: 870, h: 320, xMax: maxN, yMax: yTicks.at(-1)! };
  const line = (ys: number[]) => 'M' + ys.map((y, n) => `${sx(f, n)},${sy(f, y)}`).join(' L');
  const lg = legend ?? {
    cs: t('wi.curveCS'),
    p2p: t('wi.curveP2P'),
    pointsCS: t('cls.mode.cs'),
    pointsP2P: t('cls.mode.p2p'),
  };
  return (
    <svg
      ref={svgRef}
      viewBox="0 0 1000 500"
      role="img"
      aria-label={title}
      data-testid={testid}
      xmlns="http://www.w3.org/2000/svg"
      fontFamily="system-ui, sans-serif"
    >
      <rect width="1000" height="500" fill="#fff" />
      <text x={20} y={24} fontSize={20} fontWeight={700} fill={palette.ink}>
        {title}
      </text>
      <Axes
        f={f}
        xTicks={niceTicks(maxN, Math.min(maxN, 10)).filter(Number.isInteger)}
        yTicks={yTicks}
        xLabel={t('cls.chart.N')}
        yLabel={t('cls.chart.seconds')}
      />
      <path d={line(cs)} fill="none" stroke={palette.cs} strokeWidth={4} />
      <path d={line(p2p)} fill="none" stroke={palette.p2p} strokeWidth={4} />
      {points.map((p, i) => (
        <g key={i}>
          {p.mode === 'cs' ? (
            <rect
              x={sx(f, p.N) - 8}
              y={sy(f, p.D) - 8}
              width={16}
              height={16}
              fill={palette.cs}
              stroke="#fff"
              strokeWidth={2}
            />
          ) : (
            <circle cx={sx(f, p.N)} cy={sy(f, p.D)} r={9} fill={palette.p2p} stroke="#fff" strokeWidth={2} />
          )}
          {p.label && (
            <text x={sx(f, p.N) + 12} y={sy(f, p.D) + 5} fontSize={14} fill={palette.ink}>
              {p.label}
            </text>
          )}
        </g>
      ))}
      <g transform="translate(90,462)" fontSize={16} fill={palette.ink}>
        <line x1={0} x2={28} y1={-5} y2={-5} stroke={palette.cs} strokeWidth={4} />
        <text x={36} y={0}>
          {lg.cs}
        </text>
        <line x1={430} x2={458} y1={-5} y2={-5} stroke={palette.p2p} strokeWidth={4} />
        <text x={466} y={0}>
          {lg.p2p}
        </text>
        <rect x={7} y={14} width={14} height={14} fill={palette.cs} />
        <text x={36} y={26}>
          {lg.pointsCS}
        </text>
        <circle cx={444} cy={21} r={8} fill={palette.p2p} />
        <text x={466} y={26}>
          {lg.pointsP2P}
        </text>
      </g>
    </svg>
  );
}
