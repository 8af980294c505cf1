import { describe, expect, it } from 'vitest';
import { linearTicks, logTicks, renderChart } from './figure-svg';

describe('figure SVG', () => {
  it('draws a scatter of dots without joining lines, x = 0 included on linear axes', () => {
    const svg = renderChart({
      title: 'completion vs upload',
      xLabel: 'KiB/s',
      yLabel: 's',
      scale: 'linear',
      series: [
        {
          label: 'free riders',
          color: '#c00',
          kind: 'dots',
          marker: 'square',
          points: [
            { x: 0, y: 40 },
            { x: 0, y: 42 },
          ],
        },
        { label: 'others', color: '#00c', kind: 'dots', points: [{ x: 512, y: 36 }] },
      ],
    });
    expect(svg).not.toContain('<polyline');
    expect(svg.match(/<rect[^>]*fill="#c00"/g) ?? []).toHaveLength(3); // two dots + the legend's
  });
  it('makes 1-2-5 log ticks', () => {
    expect(logTicks(1, 1000)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
  });
  it('draws every series, the legend and escaped labels', () => {
    const svg = renderChart({
      title: 'D vs N <test>',
      xLabel: 'N',
      yLabel: 'seconds',
      series: [
        {
          label: 'bound',
          color: '#c00',
          kind: 'line',
          dashed: true,
          points: [
            { x: 1, y: 1 },
            { x: 100, y: 100 },
          ],
        },
        {
          label: 'measured',
          color: '#00c',
          kind: 'points',
          marker: 'square',
          points: [
            { x: 1, y: 1.1 },
            { x: 10, y: 9 },
            { x: 100, y: NaN },
          ],
        },
      ],
    });
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
    const svg = renderChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      scale: 'linear',
      series: [
        {
          label: 'a',
          color: '#000',
          kind: 'line',
          points: [
            { x: 1, y: 5 },
            { x: 50, y: 320 },
          ],
        },
      ],
    });
    expect(svg).toContain('>400</text>');
    expect(svg).toContain('>0</text>');
  });
  it('refuses an empty chart', () => {
    expect(() => renderChart({ title: '', xLabel: '', yLabel: '', series: [] })).toThrow();
  });
});
