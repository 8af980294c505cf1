/**
 * The projector view of one classroom swarm, laid out for a 1920x1080 wall: the graph on the left;
 * numbers, the completion chart and the chunk maps on the right; the teacher's controls and
 * the rounds below the fold. Reads the classroom store only; the caller feeds it (live or sample).
 */
import type { ClassroomControl } from '../../../protocol/classroom';
import { useT } from '../../i18n';
import { formatBytes } from '../format';
import { availability } from '../model/measured';
import { useClassroom } from '../store';
import { BackLink } from './BackLink';
import { ChunkMaps } from './ChunkMaps';
import { CompletionChart } from './CompletionChart';
import { LanguageSwitch } from './LanguageSwitch';
import { NumbersPanel } from './NumbersPanel';
import { QrCode } from './QrCode';
import { ResultsPanel } from './ResultsPanel';
import { SwarmGraph } from './SwarmGraph';
import { TeacherControls } from './TeacherControls';
import '../classroom.css';

interface Props {
  /** The classroom link students open (shown as a QR code); null where this browser does not hold the share's link. */
  joinLink: string | null;
  /** This view's own link. */
  projectorUrl: string;
  canControl: boolean;
  onSend: (control: ClassroomControl) => void;
  controlStatus?: string | null;
  /** Where "back" leads: the share's page, or home for the demo. */
  back: { href: string; label: string };
}

export function ProjectorPage({ joinLink, projectorUrl, canControl, onSend, controlStatus, back }: Props) {
  const t = useT();
  const s = useClassroom();
  const peers = [...s.peers.values()].filter((p) => p.round === s.measured.round);
  const sharer = peers.find((p) => p.role === 's');
  const statusText = {
    connecting: t('cls.status.connecting'),
    live: t('cls.status.live'),
    offline: t('cls.status.offline'),
    sample: t('cls.sample'),
    closed: t('cls.status.closed'),
  }[s.status];
  return (
    <div className="cls-page" data-testid="projector">
      <header className="cls-header">
        <div>
          <BackLink href={back.href} label={back.label} />
          <h1>
            Swarmdrop · {t('cls.title')} <span className={`cls-pill cls-pill-${s.status}`}>{statusText}</span>
          </h1>
          <p className="cls-sub">
            {t('term.torrent')}: {s.measured.F ? formatBytes(s.measured.F) : '…'}
            {sharer ? ` · ${sharer.chunks} × ${t('term.chunk')}` : ''} · {t('cls.round', { round: s.measured.round })} ·{' '}
            <span className={`cls-mode-${s.measured.mode}`}>
              {t(s.measured.mode === 'cs' ? 'cls.mode.csLong' : 'cls.mode.p2pLong')}
            </span>
          </p>
        </div>
        <div className="cls-join">
          {joinLink && <QrCode text={joinLink} size={132} label={t('cls.scanToJoin')} />}
          <div>
            <strong>{t('cls.scanToJoin')}</strong>
            {joinLink ? (
              <a href={joinLink} className="cls-joinlink" data-testid="join-link">
                {joinLink}
              </a>
            ) : (
              <span className="cls-small" data-testid="join-link-elsewhere">
                {t('cls.joinLinkElsewhere')}
              </span>
            )}
            <a href={projectorUrl} data-testid="projector-self-link" className="cls-small">
              {t('cls.projector')}
            </a>
            <LanguageSwitch />
          </div>
        </div>
      </header>
      {s.lastError && (
        <p className="cls-error" role="alert">
          {s.lastError}
        </p>
      )}
      <main className="cls-wall">
        <div className="cls-left">
          {peers.length === 0 ? (
            <div className="cls-card cls-empty">{t('cls.status.waiting')}</div>
          ) : (
            <SwarmGraph peers={peers} labels={s.labels} freeRiders={new Set(s.measured.freeRiders)} />
          )}
        </div>
        <div className="cls-right">
          <NumbersPanel m={s.measured} sharer={sharer} />
          <CompletionChart m={s.measured} points={s.series.get(s.measured.round) ?? []} />
          <ChunkMaps peers={peers} labels={s.labels} availability={availability(peers)} />
        </div>
        <div className="cls-bottom">
          <TeacherControls
            control={s.control}
            peers={peers}
            labels={s.labels}
            canControl={canControl}
            onSend={onSend}
            status={controlStatus}
          />
          <ResultsPanel rows={s.results} swarm={s.swarm ?? ''} />
        </div>
      </main>
    </div>
  );
}
