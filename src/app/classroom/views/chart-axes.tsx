/** Small shared pieces of the SVG charts: nice tick values and an axis frame. */
import { palette } from './palette';

export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw)!;
  const ticks = [];
  // Up to the first tick at or past `max`, so the axis always covers it.
  for (let v = 0; ; v += step) {
    ticks.push(Number(v.toFixed(10)));
    if (v >= max - step * 0.001) break;
  }
  return ticks;
}

export interface Frame {
  x0: number;
  y0: number;
  w: number;
  h: number;
  xMax: number;
  yMax: number;
}

export const sx = (f: Frame, v: number) => f.x0 + (v / f.xMax) * f.w;
export const sy = (f: Frame, v: number) => f.y0 + f.h - (v / f.yMax) * f.h;

export function Axes({
  f,
  xTicks,
  yTicks,
  xLabel,
  yLabel,
  xFmt = String,
}: {
  f: Frame;
  xTicks: number[];
  yTicks: number[];
  xLabel: string;
  yLabel: string;
  xFmt?: (v: number) => string;
}) {
  return (
    <g fontSize={15} fill={palette.muted}>
      {yTicks.map((v) => (
        <g key={`y${v}`}>
          <line x1={f.x0} x2={f.x0 + f.w} y1={sy(f, v)} y2={sy(f, v)} stroke={palette.grid} />
          <text x={f.x0 - 8} y={sy(f, v) + 5} textAnchor="end">
            {v}
          </text>
        </g>
      ))}
      {xTicks.map((v) => (
        <text key={`x${v}`} x={sx(f, v)} y={f.y0 + f.h + 22} textAnchor="middle">
          {xFmt(v)}
        </text>
      ))}
      <line x1={f.x0} x2={f.x0 + f.w} y1={f.y0 + f.h} y2={f.y0 + f.h} stroke={palette.muted} />
      <line x1={f.x0} x2={f.x0} y1={f.y0} y2={f.y0 + f.h} stroke={palette.muted} />
      <text x={f.x0 + f.w} y={f.y0 + f.h + 44} textAnchor="end" fontWeight={600}>
        {xLabel}
      </text>
      <text x={f.x0} y={f.y0 - 12} fontWeight={600}>
        {yLabel}
      </text>
    </g>
  );
}
