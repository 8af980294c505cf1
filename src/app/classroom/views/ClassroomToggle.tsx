/**
 * On the sharer's share view: the classroom-mode checkbox and, once on, the projector's link and
 * QR code. On a downloader's view: a one-line notice that its progress is on the projector.
 */
import { useEffect, useState } from 'react';
import { useT } from '../../i18n';
import { isClassroomActive, isClassroomOn, setClassroomOn } from '../classroom-runtime';
import { projectorLink } from '../links';
import '../classroom.css';

export function ClassroomToggle({ swarmId, isSharer }: { swarmId: string; isSharer: boolean }) {
  const t = useT();
  const [on, setOn] = useState(() => isClassroomOn(swarmId));
  const [active, setActive] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setActive(isClassroomActive(swarmId)), 1000);
    return () => clearInterval(timer);
  }, [swarmId]);

  if (!isSharer) {
    return active ? (
      <p className="notice notice-info" data-testid="classroom-notice">
        {t('cls.studentNotice')}
      </p>
    ) : null;
  }
  const link = projectorLink(location.origin, swarmId);
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
      {on && (
        <p>
          <a href={link} target="_blank" rel="noopener" data-testid="projector-link">
            {t('cls.projectorLink')}
          </a>
        </p>
      )}
    </section>
  );
}
