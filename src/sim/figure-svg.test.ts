import { describe, expect, it } from 'vitest';
import { linearTicks, logTicks, renderChart } from './figure-svg';

type Series = Parameters<typeof renderChart>[0]['series'][number];
/** Points from [x, y] pairs, so each chart below reads as its series. */
const pts = (...xy: [number, number][]) => xy.map(([x, y]) => ({ x, y }));
/** A chart of `series` with placeholder labels. */
const chart = (series: Series[], scale?: 'linear', title = 't') =>
  renderChart({ title, xLabel: 'x', yLabel: 'y', scale, series });

describe('figure SVG', () => {
  it('draws a scatter of dots without joining lines, x = 0 included on linear axes', () => {
    const svg = chart(
      [
        { label: 'free riders', color: '#c00', kind: 'dots', marker: 'square', points: pts([0, 40], [0, 42]) },
        { label: 'others', color: '#00c', kind: 'dots', points: pts([512, 36]) },
      ],
      'linear',
    );
    expect(svg).not.toContain('<polyline');
    expect(svg.match(/<rect[^>]*fill="#c00"/g) ?? []).toHaveLength(3); // two dots + the legend's
  });
  it('makes 1-2-5 log ticks', () => {
    expect(logTicks(1, 1000)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
  });
  it('draws every series, the legend and escaped labels', () => {
    const svg = chart(
      [
        { label: 'bound', color: '#c00', kind: 'line', dashed: true, points: pts([1, 1], [100, 100]) },
        {
          label: 'measured',
          color: '#00c',
          kind: 'points',
          marker: 'square',
          points: pts([1, 1.1], [10, 9], [100, NaN]),
        },
      ],
      undefined,
      'D vs N <test>',
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('D vs N &lt;test&gt;');
    expect(svg.match(/<polyline/g)?.length).toBe(2);
    expect(svg.match(/<rect x=/g)!.length).toBeGreaterThanOrEqual(3); // 2 markers + legend marker (+ frame)
    expect(svg).not.toContain('NaN');
  });
  it('makes linear ticks from 0 past the maximum at a 1-2-5 step', () => {
    expect(linearTicks(320)).toEqual([0, 100, 200, 300, 400]);
    expect(linearTicks(50)).toEqual([0, 10, 20, 30, 40, 50]);
  });
  it('draws linear axes from 0', () => {
    const svg = chart([{ label: 'a', color: '#000', kind: 'line', points: pts([1, 5], [50, 320]) }], 'linear');
    expect(svg).toContain('>400</text>');
    expect(svg).toContain('>0</text>');
  });
  it('refuses an empty chart', () => {
    expect(() => chart([])).toThrow();
  });
});
