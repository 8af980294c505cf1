/** The rounds so far: table, the bounds-vs-N chart with each round's measured D, and the exports. */
import { useRef } from 'react';
import { useT } from '../../i18n';
import { downloadBlob, downloadText, svgMarkup, svgToPng } from '../export';
import { formatBytes, formatRate, formatSeconds } from '../format';
import { resultsToCsv, resultsToJson, type RoundResult } from '../model/results';
import { BoundsVsNChart } from './BoundsVsNChart';

export function ResultsPanel({ rows, swarm }: { rows: RoundResult[]; swarm: string }) {
  const t = useT();
  const svgRef = useRef<SVGSVGElement>(null);
  const last = rows.at(-1);
  const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const cap = (v: number) => (v ? formatRate(v) : '∞');
  /** Bounds from measured rather than capped upload rates are estimates (marked ≈). */
  const est = (r: RoundResult) => !r.capSharerUp || !r.capPeerUp;
  return (
    <section className="cls-card cls-results" data-testid="results">
      <h2>{t('cls.res.title')}</h2>
      {rows.length === 0 ? (
        <p className="cls-note">{t('cls.res.empty')}</p>
      ) : (
        <>
          <div className="cls-scroll">
            <table data-testid="results-table">
              <thead>
                <tr>
                  <th>{t('cls.res.round')}</th>
                  <th>{t('cls.res.mode')}</th>
                  <th>N</th>
                  <th>F</th>
                  <th>{t('cls.res.caps')}</th>
                  <th>{t('cls.res.D')}</th>
                  <th>D_cs ≥</th>
                  <th>D_P2P ≥</th>
                  <th>{t('cls.res.ratio')}</th>
                  <th title={t('cls.fr.explain')}>{t('cls.fr.label')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.round} data-round={r.round} data-mode={r.mode}>
                    <td>{r.round}</td>
                    <td className={`cls-mode-${r.mode}`}>{t(r.mode === 'cs' ? 'cls.mode.cs' : 'cls.mode.p2p')}</td>
                    <td>{r.N}</td>
                    <td>{formatBytes(r.F)}</td>
                    <td>
                      {cap(r.capSharerUp)} / {cap(r.capPeerUp)} / {cap(r.capPeerDown)}
                    </td>
                    <td>
                      <strong>{formatSeconds(r.D)}</strong>
                    </td>
                    <td title={est(r) ? t('cls.res.estimated') : undefined}>
                      {est(r) ? '≈ ' : ''}
                      {formatSeconds(r.boundCS)}
                    </td>
                    <td title={est(r) ? t('cls.res.estimated') : undefined}>
                      {est(r) ? '≈ ' : ''}
                      {formatSeconds(r.boundP2P)}
                    </td>
                    <td>{(r.D / (r.mode === 'cs' ? r.boundCS : r.boundP2P)).toFixed(2)}</td>
                    <td
                      data-free-riders={r.freeRiders}
                      data-contributors-median={r.contributorsMedian ?? ''}
                      data-free-riders-median={r.freeRidersMedian ?? ''}
                    >
                      {r.freeRiders
                        ? `${r.freeRiders}: ${formatSeconds(r.freeRidersMedian)} / ${formatSeconds(r.contributorsMedian)}`
                        : '–'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {last && (
            <BoundsVsNChart
              svgRef={svgRef}
              title={t('cls.chart.roundsTitle')}
              params={{ F: last.F, us: last.us, u: last.N ? last.uSum / last.N : 0, d: last.dmin ?? Infinity }}
              maxN={Math.max(10, ...rows.map((r) => r.N * 2))}
              points={rows.map((r) => ({ N: r.N, D: r.D, mode: r.mode, label: `#${r.round}` }))}
              testid="rounds-chart"
            />
          )}
        </>
      )}
      <div className="cls-buttons">
        <ExportButton
          format="csv"
          disabled={!rows.length}
          onClick={() => downloadText(resultsToCsv(rows), `swarmdrop-rounds-${stamp()}.csv`, 'text/csv')}
        />
        <ExportButton
          format="json"
          disabled={!rows.length}
          onClick={() =>
            downloadText(resultsToJson(rows, swarm, new Date()), `swarmdrop-rounds-${stamp()}.json`, 'application/json')
          }
        />
        <ExportButton
          format="svg"
          disabled={!rows.length}
          onClick={() =>
            svgRef.current && downloadText(svgMarkup(svgRef.current), `swarmdrop-chart-${stamp()}.svg`, 'image/svg+xml')
          }
        />
        <ExportButton
          format="png"
          disabled={!rows.length}
          onClick={() => {
            if (svgRef.current)
              void svgToPng(svgRef.current).then((png) => downloadBlob(png, `swarmdrop-chart-${stamp()}.png`));
          }}
        />
      </div>
    </section>
  );
}

/** One export of the rounds or the chart: its test id and label come from its format. */
function ExportButton({
  format,
  disabled,
  onClick,
}: {
  format: 'csv' | 'json' | 'svg' | 'png';
  disabled: boolean;
  onClick: () => void;
}) {
  const t = useT();
  return (
    <button type="button" data-testid={`export-${format}`} disabled={disabled} onClick={onClick}>
      {t(`cls.res.${format}`)}
    </button>
  );
}
