/**
 * On the sharer's share view: the classroom-mode checkbox and, once on, the projector's link and
 * QR code. On a downloader's view: a one-line notice that its progress is on the projector.
 */
import { useEffect, useState } from 'react';
import { useT } from '../../i18n';
import {
  answerRound,
  isClassroomActive,
  isClassroomOn,
  offeredRound,
  onClassroomChange,
  setClassroomOn,
} from '../classroom-runtime';
import { classroomJoinLink, projectorLink } from '../links';
import { roomKeyFor, saveLinkSecret } from '../secret';
import { useAppStore } from '../../state/store';
import '../classroom.css';

export function ClassroomToggle({ swarmId, isSharer }: { swarmId: string; isSharer: boolean }) {
  const t = useT();
  const [on, setOn] = useState(() => isClassroomOn(swarmId));
  const [active, setActive] = useState(false);
  const [offered, setOffered] = useState<number | undefined>(undefined);
  const linkSecret = useAppStore((s) => s.shares.get(swarmId)?.secret);
  useEffect(() => {
    const look = () => {
      setActive(isClassroomActive(swarmId));
      setOffered(offeredRound(swarmId));
    };
    // A new round is asked about the moment it comes (its time runs from the teacher's control).
    const off = onClassroomChange((swarm) => swarm === swarmId && look());
    const timer = setInterval(look, 500);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [swarmId]);

  if (!isSharer) {
    if (!active) return null;
    const answer = (again: boolean) => {
      answerRound(swarmId, again);
      setOffered(undefined);
    };
    return (
      <>
        <p className="notice notice-info" data-testid="classroom-notice">
          {t('cls.studentNotice')}
        </p>
        {offered !== undefined && (
          <p className="notice notice-info" data-testid="classroom-new-round" role="alert">
            {t('cls.newRound', { round: offered })}{' '}
            <button type="button" data-testid="round-download-again" onClick={() => answer(true)}>
              {t('cls.downloadAgain')}
            </button>{' '}
            <button type="button" data-testid="round-keep-file" onClick={() => answer(false)}>
              {t('cls.keepFile')}
            </button>
          </p>
        )}
      </>
    );
  }
  const key = on ? roomKeyFor(swarmId) : null;
  if (key && linkSecret) saveLinkSecret(swarmId, linkSecret); // for a projector tab in this browser
  return (
    <section className="card cls-toggle" data-testid="classroom-panel">
      <label>
        <input
          type="checkbox"
          data-testid="classroom-toggle"
          checked={on}
          onChange={(e) => {
            setClassroomOn(swarmId, e.target.checked);
            setOn(e.target.checked);
          }}
        />{' '}
        <strong>{t('cls.toggle')}</strong>
      </label>
      <p className="muted">{t('cls.toggleHint')}</p>
      {key && linkSecret && (
        <p>
          <a
            href={projectorLink(location.origin, swarmId, key)}
            target="_blank"
            rel="noopener"
            data-testid="projector-link"
          >
            {t('cls.projectorLink')}
          </a>{' '}
          ·{' '}
          <a href={classroomJoinLink(location.origin, linkSecret, key)} data-testid="classroom-join-link">
            {t('cls.classroomLink')}
          </a>
        </p>
      )}
    </section>
  );
}
