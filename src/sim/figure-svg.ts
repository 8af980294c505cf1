/**
 * A small hand-written SVG chart for the lecture's figure: distribution time against N on log-log
 * axes, measured points beside bound curves. Pure string building, no dependencies.
 */

export interface Series {
  label: string;
  color: string;
  /**
   * 'line' draws a polyline (a bound); 'points' draws markers joined by a thin line (measurements);
   * 'dots' draws markers only (a scatter: one per peer).
   */
  kind: 'line' | 'points' | 'dots';
  marker?: 'circle' | 'square';
  dashed?: boolean;
  points: Array<{ x: number; y: number }>;
}

export interface ChartSpec {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  width?: number;
  height?: number;
  /** 'log' (default): log-log axes. 'linear': both axes linear from 0, like the textbook's figure. */
  scale?: 'log' | 'linear';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number) => (Math.round(v * 100) / 100).toString();

/** 1-2-5 ticks within [lo, hi] on a log axis. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)) + 1; e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(Number(v.toPrecision(6)));
    }
  }
  return ticks;
}

/** About `count` evenly spaced ticks from 0 to at least `hi`, at a 1-2-5 step. */
export function linearTicks(hi: number, count = 6): number[] {
  const raw = hi / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((st) => st >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < hi + step; v += step) ticks.push(Number(v.toPrecision(6)));
  return ticks;
}

function tickLabel(v: number): string {
  if (v >= 1000) return `${v / 1000}k`.replace('.0k', 'k');
  return String(v);
}

export function renderChart(spec: ChartSpec): string {
  const W = spec.width ?? 800;
  const H = spec.height ?? 520;
  const m = { left: 78, right: 36, top: spec.subtitle ? 70 : 50, bottom: 62 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const linear = spec.scale === 'linear';
  // Log axes cannot show 0; linear ones start at 0 (a free rider's upload rate).
  const plottable = (p: { x: number; y: number }) =>
    (linear ? p.x >= 0 && p.y >= 0 : p.x > 0 && p.y > 0) && Number.isFinite(p.x) && Number.isFinite(p.y);
  const all = spec.series.flatMap((s) => s.points).filter(plottable);
  if (all.length === 0) throw new Error('nothing to plot');
  let xTicks: number[];
  let yTicks: number[];
  let sx: (x: number) => number;
  let sy: (y: number) => number;
  if (linear) {
    xTicks = linearTicks(Math.max(...all.map((p) => p.x)));
    yTicks = linearTicks(Math.max(...all.map((p) => p.y)));
    const xMax = xTicks[xTicks.length - 1]!;
    const yMax = yTicks[yTicks.length - 1]!;
    sx = (x) => m.left + (x / xMax) * pw;
    sy = (y) => m.top + ph - (y / yMax) * ph;
  } else {
    const xMin = 10 ** Math.floor(Math.log10(Math.min(...all.map((p) => p.x))));
    const xMax = 10 ** Math.ceil(Math.log10(Math.max(...all.map((p) => p.x))));
    // y: the nearest 1-2-5 values around the data (a decade would waste space).
    const lo = Math.min(...all.map((p) => p.y));
    const hi = Math.max(...all.map((p) => p.y));
    const yMin = Math.max(...logTicks(lo / 10, lo));
    const yMax = Math.min(...logTicks(hi, hi * 10));
    xTicks = logTicks(xMin, xMax);
    yTicks = logTicks(yMin, yMax);
    sx = (x) => m.left + ((Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * pw;
    sy = (y) => m.top + ph - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * ph;
  }

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="13">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="17" font-weight="bold">${esc(spec.title)}</text>`,
  );
  if (spec.subtitle)
    out.push(`<text x="${W / 2}" y="48" text-anchor="middle" font-size="12" fill="#555">${esc(spec.subtitle)}</text>`);

  // Grid and ticks.
  out.push('<g stroke="#e3e3e3" stroke-width="1">');
  for (const t of xTicks) out.push(`<line x1="${fmt(sx(t))}" y1="${m.top}" x2="${fmt(sx(t))}" y2="${m.top + ph}"/>`);
  for (const t of yTicks) out.push(`<line x1="${m.left}" y1="${fmt(sy(t))}" x2="${m.left + pw}" y2="${fmt(sy(t))}"/>`);
  out.push('</g>');
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push('<g fill="#333">');
  for (const t of xTicks)
    out.push(`<text x="${fmt(sx(t))}" y="${m.top + ph + 18}" text-anchor="middle">${tickLabel(t)}</text>`);
  for (const t of yTicks)
    out.push(`<text x="${m.left - 8}" y="${fmt(sy(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`);
  out.push('</g>');
  out.push(`<text x="${m.left + pw / 2}" y="${H - 16}" text-anchor="middle" font-size="14">${esc(spec.xLabel)}</text>`);
  out.push(
    `<text transform="translate(20 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="14">${esc(spec.yLabel)}</text>`,
  );

  // Series.
  for (const s of spec.series) {
    const pts = s.points.filter(plottable);
    const path = pts.map((p) => `${fmt(sx(p.x))},${fmt(sy(p.y))}`).join(' ');
    const width = s.kind === 'line' ? 2.2 : 1;
    const dash = s.dashed ? ' stroke-dasharray="7 5"' : '';
    if (s.kind !== 'dots')
      out.push(
        `<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="${width}"${dash} stroke-opacity="${s.kind === 'line' ? 0.9 : 0.6}"/>`,
      );
    if (s.kind !== 'line') {
      for (const p of pts) out.push(marker(s.marker ?? 'circle', sx(p.x), sy(p.y), s.color));
    }
  }

  // Legend (top left, inside the plot).
  const lx = m.left + 14;
  let ly = m.top + 14;
  const legendWidth = 56 + 6.3 * Math.max(...spec.series.map((s) => s.label.length));
  out.push(
    `<rect x="${lx - 8}" y="${ly - 10}" width="${legendWidth}" height="${spec.series.length * 22 + 6}" fill="#ffffff" fill-opacity="0.9" stroke="#bbb"/>`,
  );
  for (const s of spec.series) {
    const y = ly + 6;
    if (s.kind === 'line') {
      out.push(
        `<line x1="${lx}" y1="${y}" x2="${lx + 30}" y2="${y}" stroke="${s.color}" stroke-width="2.2"${s.dashed ? ' stroke-dasharray="7 5"' : ''}/>`,
      );
    } else {
      if (s.kind === 'points')
        out.push(
          `<line x1="${lx}" y1="${y}" x2="${lx + 30}" y2="${y}" stroke="${s.color}" stroke-width="1" stroke-opacity="0.6"/>`,
        );
      out.push(marker(s.marker ?? 'circle', lx + 15, y, s.color));
    }
    out.push(`<text x="${lx + 40}" y="${y + 4}">${esc(s.label)}</text>`);
    ly += 22;
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function marker(kind: 'circle' | 'square', x: number, y: number, color: string): string {
  if (kind === 'square')
    return `<rect x="${fmt(x - 4.5)}" y="${fmt(y - 4.5)}" width="9" height="9" fill="${color}" stroke="#fff" stroke-width="1"/>`;
  return `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="5" fill="${color}" stroke="#fff" stroke-width="1"/>`;
}
