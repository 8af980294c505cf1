/**
 * Every peer's chunk map (have / in flight / missing) and, under them, the swarm's availability per
 * chunk: how many peers hold each one. Rarest first shows as the low bars filling up first.
 * Files with many chunks are drawn in at most MAX_COLUMNS columns, each a range of chunks.
 */
import { useT } from '../../i18n';
import type { PeerView } from '../model/measured';
import { Legend } from './Legend';
import { palette } from './palette';

const MAX_COLUMNS = 128;
const MAX_ROWS = 12;
const LABEL_W = 56;
const W = 1000;
const ROW_H = 20;
const GAP = 3;
const AVAIL_H = 60;

interface Props {
  peers: PeerView[];
  labels: ReadonlyMap<string, string>;
  availability: number[];
}

export function ChunkMaps({ peers, labels, availability }: Props) {
  const t = useT();
  const n = availability.length;
  const cols = Math.min(n, MAX_COLUMNS);
  const per = n / Math.max(cols, 1);
  const cw = (W - LABEL_W) / Math.max(cols, 1);
  const rows = [...peers].sort((a, b) =>
    a.role === 's'
      ? -1
      : b.role === 's'
        ? 1
        : (labels.get(a.id) ?? '').localeCompare(labels.get(b.id) ?? '', 'en', { numeric: true }),
  );
  const shown = rows.slice(0, MAX_ROWS);
  const top = shown.length * (ROW_H + GAP) + 14;
  const maxAvail = Math.max(1, peers.length);
  const binAvail = Array.from({ length: cols }, (_, c) =>
    mean(availability.slice(Math.floor(c * per), Math.floor((c + 1) * per) || Math.floor(c * per) + 1)),
  );
  const rarest = Math.min(...binAvail);

  return (
    <figure className="cls-card cls-chunks">
      <figcaption>
        {t('cls.chunks.title')} · {t('term.chunk')} × {n}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${top + AVAIL_H + 24}`}
        data-testid="chunk-maps"
        role="img"
        aria-label={t('cls.chunks.title')}
      >
        {shown.map((p, r) => {
          const inFlight = new Set(p.inFlight);
          return (
            <g
              key={p.id}
              data-chunk-map={p.id}
              data-have={p.have.filter(Boolean).length}
              transform={`translate(0,${r * (ROW_H + GAP)})`}
            >
              <text
                x={0}
                y={ROW_H - 5}
                fontSize={17}
                fontWeight={700}
                fill={p.role === 's' ? palette.sharer : palette.ink}
              >
                {labels.get(p.id) ?? '?'}
              </text>
              {Array.from({ length: cols }, (_, c) => {
                const from = Math.floor(c * per);
                const to = Math.max(from + 1, Math.floor((c + 1) * per));
                let have = 0;
                let flying = false;
                for (let i = from; i < to; i++) {
                  if (p.have[i]) have++;
                  else if (inFlight.has(i)) flying = true;
                }
                const frac = have / (to - from);
                const fill =
                  frac === 1 ? palette.have : flying ? palette.inFlight : frac > 0 ? palette.have : palette.missing;
                return (
                  <rect
                    key={c}
                    x={LABEL_W + c * cw}
                    y={0}
                    width={Math.max(cw - 1, 0.5)}
                    height={ROW_H}
                    fill={fill}
                    fillOpacity={frac > 0 && frac < 1 && !flying ? 0.25 + 0.75 * frac : 1}
                    rx={2}
                  />
                );
              })}
            </g>
          );
        })}
        {rows.length > MAX_ROWS && (
          <text x={LABEL_W} y={top - 2} fontSize={14} fill={palette.muted}>
            {t('cls.chunks.more', { count: rows.length - MAX_ROWS })}
          </text>
        )}
        <g transform={`translate(0,${top})`} data-testid="availability">
          <text x={0} y={AVAIL_H / 2} fontSize={13} fill={palette.muted}>
            #
          </text>
          {binAvail.map((a, c) => {
            const h = (a / maxAvail) * AVAIL_H;
            return (
              <g key={c}>
                <rect
                  x={LABEL_W + c * cw}
                  y={AVAIL_H - h}
                  width={Math.max(cw - 1, 0.5)}
                  height={Math.max(h, 1)}
                  fill={a === rarest ? palette.optimistic : palette.p2p}
                  rx={2}
                />
                {cols <= 48 && (
                  <text
                    x={LABEL_W + c * cw + cw / 2}
                    y={AVAIL_H + 16}
                    textAnchor="middle"
                    fontSize={12}
                    fill={palette.muted}
                  >
                    {Math.round(a)}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      </svg>
      <Legend
        entries={[
          { style: { background: palette.have }, label: t('cls.chunks.have') },
          { style: { background: palette.inFlight }, label: t('cls.chunks.inFlight') },
          { style: { background: palette.missing }, label: t('cls.chunks.missing') },
          { style: { background: palette.optimistic }, label: t('term.rarestFirst') },
        ]}
      />
      <p className="cls-note">{t('cls.chunks.availability')}</p>
    </figure>
  );
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}
