/** The lecture's quantities as measured right now, and the two bounds computed from them. */
import { useT } from '../../i18n';
import { formatBytes, formatRate, formatSeconds } from '../format';
import type { Measured, PeerView } from '../model/measured';

interface Props {
  m: Measured;
  sharer: PeerView | undefined;
}

export function NumbersPanel({ m, sharer }: Props) {
  const t = useT();
  const capNote = (cap: number | undefined) =>
    cap ? t('cls.num.capped') : `${t('cls.num.noCap')}, ${t('cls.num.peak')} ${formatRate(m.usSeen)}`;
  // Σu_i is shown only when every u_i is known: a cap, or a free rider's 0 (the same rule as D_P2P's).
  const contributors = Object.keys(m.ui).length - m.freeRiders.length;
  const uKnown = m.N > 0 && m.uUnknown.length === 0;
  const uNote = uKnown
    ? [
        contributors > 0 ? `≈ ${formatRate(m.uSum / contributors)} × ${contributors}` : '',
        m.freeRiders.length ? t('cls.num.freeZero', { n: m.freeRiders.length }) : '',
      ]
        .filter(Boolean)
        .join(' + ')
    : `${t('cls.num.noCap')}, ${t('cls.num.peak')} Σ ${formatRate(m.uSumSeen)}`;
  return (
    <section className="cls-card cls-numbers" aria-label={t('term.distributionTime')}>
      <dl className="cls-params">
        <Item label={t('cls.num.N')} value={String(m.N)} testid="num-n" />
        <Item
          label={t('cls.num.F')}
          value={m.F ? formatBytes(m.F) : '–'}
          note={m.chunks ? t('cls.num.chunks', { n: m.chunks, size: formatBytes(m.chunkSize) }) : undefined}
          testid="num-f"
        />
        <Item
          label={t('cls.num.us')}
          value={m.us ? formatRate(m.us) : '?'}
          note={sharer ? capNote(sharer.capUp) : undefined}
          testid="num-us"
        />
        <Item
          label={t('cls.num.ui')}
          value={uKnown ? formatRate(m.uSum) : '?'}
          note={m.N > 0 ? uNote : undefined}
          testid="num-ui"
        />
        <Item
          label={t('cls.num.dmin')}
          value={Number.isFinite(m.dmin) ? formatRate(m.dmin) : '∞'}
          note={[
            Number.isFinite(m.dmin) ? t('cls.num.capped') : t('cls.num.noCap'),
            m.dminSeen ? `${t('cls.num.peak')} ${formatRate(m.dminSeen)}` : '',
          ]
            .filter(Boolean)
            .join(' · ')}
        />
      </dl>
      <div className="cls-times">
        <div className="cls-time cls-time-main">
          <span>{m.D === null ? t('cls.num.elapsed') : t('cls.num.D')}</span>
          <strong data-testid="measured-d" data-final={m.D !== null ? 'true' : 'false'}>
            {formatSeconds(m.D ?? (m.N ? m.elapsed : null))}
          </strong>
          <em>
            {t('cls.num.done', { done: m.done, N: m.N })} · {t(m.mode === 'cs' ? 'cls.mode.cs' : 'cls.mode.p2p')} ·{' '}
            {t('cls.round', { round: m.round })}
          </em>
        </div>
        <div className="cls-time cls-time-cs">
          <span>{t('cls.num.boundCS')}</span>
          <strong data-testid="bound-cs">{formatSeconds(m.boundCS)}</strong>
          <em>
            max{'{'}NF/u<sub>s</sub>, F/d<sub>min</sub>
            {'}'}
          </em>
        </div>
        <div className="cls-time cls-time-p2p">
          <span>{t('cls.num.boundP2P')}</span>
          <strong data-testid="bound-p2p">{formatSeconds(m.boundP2P)}</strong>
          <em>
            max{'{'}F/u<sub>s</sub>, F/d<sub>min</sub>, NF/(u<sub>s</sub>+Σu<sub>i</sub>){'}'}
          </em>
        </div>
      </div>
      {m.freeRiders.length > 0 && (
        <p className="cls-note" data-testid="free-rider-note">
          {t('cls.fr.explain')}
          {m.contributorsMedian !== null && m.freeRidersMedian !== null && (
            <>
              {' '}
              <strong data-testid="free-rider-medians">
                {t('cls.fr.medians', {
                  c: formatSeconds(m.contributorsMedian),
                  f: formatSeconds(m.freeRidersMedian),
                })}
              </strong>
            </>
          )}
        </p>
      )}
      {m.boundsNeed && (
        <p className="cls-note" data-testid="bound-note" data-need={m.boundsNeed}>
          {t(m.boundsNeed === 'caps' ? 'cls.num.needCaps' : 'cls.num.inconsistent')}
        </p>
      )}
    </section>
  );
}

function Item({ label, value, note, testid }: { label: string; value: string; note?: string; testid?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testid}>{value}</dd>
      {note && <small>{note}</small>}
    </div>
  );
}
