/**
 * The live projector of one classroom (`#/classroom/<swarm id>/<room key>`): its own tracker
 * connection feeds the classroom store; the controls are enabled where this browser holds the
 * room's secret key. A link without a key is from classroom protocol 1: a plain message says so.
 */
import { useEffect, useRef, useState } from 'react';
import { SWARM_ID_PATTERN } from '../../protocol/tracker';
import type { ClassroomControl } from '../../protocol/classroom';
import { useT } from '../i18n';
import { classroomKeyOf } from '../../protocol/classroom-signing';
import { classroomJoinLink, projectorLink } from './links';
import { loadLinkSecret, loadSecret, nextSeq } from './secret';
import { perfMark } from '../perf-mark';
import { useClassroom } from './store';
import { WatchClient } from './watch-client';
import { ProjectorPage } from './views/ProjectorPage';
import { DemoProjector } from './DemoProjector';

export function trackerUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/tracker`;
}

export function ProjectorRoute({ id, roomKey }: { id: string; roomKey: string | null }) {
  const t = useT();
  const clientRef = useRef<WatchClient | null>(null);
  const [controlStatus, setControlStatus] = useState<string | null>(null);
  const oldLink = roomKey === null && SWARM_ID_PATTERN.test(id);
  const valid = SWARM_ID_PATTERN.test(id) && roomKey !== null && /^[0-9a-f]{64}$/.test(roomKey);
  const own = valid ? loadSecret(id) : null;
  const secret = own && classroomKeyOf(own) === roomKey ? own : null;
  // The students' link carries the share's link secret, which the projector link does not: it is
  // known only where the sharer's browser kept it.
  const linkSecret = valid ? loadLinkSecret(id) : null;

  useEffect(() => {
    if (!valid) return;
    const store = useClassroom.getState();
    store.reset(id, 'connecting');
    const client = new WatchClient({
      url: trackerUrl(),
      swarm: id,
      roomKey: roomKey,
      secret,
      nextSeq: () => nextSeq(id),
      onMessage: (m) => {
        useClassroom.getState().receive(m, Date.now());
        if (m.type === 'classroom-control') {
          perfMark(`projector-control-${m.control.round}`);
          setControlStatus(null);
        }
        if (m.type === 'classroom-error') setControlStatus(t('cls.ctl.refused', { reason: m.message }));
      },
      onStatus: (s) => useClassroom.getState().setStatus(s),
      onProblem: (p) => console.warn('classroom:', p),
    });
    clientRef.current = client;
    const timer = setInterval(() => useClassroom.getState().tick(Date.now()), 1000);
    return () => {
      clearInterval(timer);
      client.close();
      clientRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, roomKey, valid]);

  if (id === 'demo') return <DemoProjector />;
  if (oldLink)
    return (
      <p className="cls-error" role="alert" data-testid="old-projector-link">
        {t('cls.oldLink')}
      </p>
    );
  if (!valid)
    return (
      <p className="cls-error" role="alert">
        {t('cls.badLink')}
      </p>
    );
  const send = (control: ClassroomControl) => {
    if (!secret) return;
    const ok = clientRef.current?.sendControl(control);
    setControlStatus(ok ? t('cls.ctl.sent') : t('cls.status.offline'));
  };
  return (
    <ProjectorPage
      joinLink={linkSecret ? classroomJoinLink(location.origin, linkSecret, roomKey) : null}
      projectorUrl={projectorLink(location.origin, id, roomKey)}
      canControl={secret !== null}
      onSend={send}
      controlStatus={controlStatus}
      back={
        linkSecret
          ? { href: `#/s/${linkSecret}`, label: t('cls.back.share') }
          : { href: '#/files', label: t('cls.back.share') }
      }
    />
  );
}
