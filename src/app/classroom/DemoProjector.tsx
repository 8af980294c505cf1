/**
 * The projector playing sample rounds of the real engine (demo/demo-player.ts): a P2P round, then
 * client-server and P2P in turn with the same caps, one simulated second per `stepMs`. For trying
 * the view before class; the demo's controls start their round at once, locally.
 */
import { useEffect, useRef } from 'react';
import { DEMO_SHARER_ID } from '../../worker/classroom-demo';
import { useT } from '../i18n';
import { DEMO_FIRST_ROUND as FIRST, DemoPlayer } from './demo/demo-player';
import { DemoWorker } from './demo/demo-worker';
import { useClassroom } from './store';
import { ProjectorPage } from './views/ProjectorPage';

const KiB = 1024;
/** A made-up swarm id: the demo belongs to no share. */
const DEMO_SWARM = 'c2FtcGxlLXN3YXJtLWZvci10aGUtcHJvamVjdG9yLXZpA';

export function DemoProjector({ stepMs = 1000, peers = 6 }: { stepMs?: number; peers?: number }) {
  const t = useT();
  const playerRef = useRef<DemoPlayer | null>(null);

  useEffect(() => {
    useClassroom.getState().reset(DEMO_SWARM, 'sample');
    useClassroom.setState({ sharer: DEMO_SHARER_ID });
    const worker = new DemoWorker();
    const player = new DemoPlayer(
      {
        source: worker.run,
        cancel: () => worker.cancel(),
        receive: (event, now) => useClassroom.getState().receive(event, now),
        peers,
        sizeBytes: 6 * 1024 * KiB,
        onError: (error) => console.warn('classroom demo:', error.message),
      },
      FIRST,
    );
    playerRef.current = player;
    player.start(FIRST);
    const timer = setInterval(() => player.step(), stepMs);
    return () => {
      clearInterval(timer);
      worker.cancel();
      playerRef.current = null;
    };
  }, [stepMs, peers]);

  const origin = location.origin;
  return (
    <ProjectorPage
      joinLink={`${origin}/#/sample`}
      projectorUrl={`${origin}/#/classroom/demo`}
      canControl
      onSend={(c) => playerRef.current?.send(c)}
      controlStatus={null}
      back={{ href: '#/', label: t('cls.back.home') }}
    />
  );
}
