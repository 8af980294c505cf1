/**
 * The projector playing a recorded-style sample swarm (see sample/sample-swarm.ts): a P2P round,
 * then a client-server round with the same caps, looping. For trying the view before class and for
 * looking at the layout; the controls change the next sample round locally.
 */
import { useEffect, useRef, useState } from 'react';
import type { ClassroomControl } from '../../protocol/classroom';
import { useT } from '../i18n';
import { createSampleSwarm, sampleDone, sampleSwarmId } from './sample/sample-swarm';
import { useClassroom } from './store';
import { ProjectorPage } from './views/ProjectorPage';

const KiB = 1024;
const START: ClassroomControl = {
  round: 1,
  mode: 'p2p',
  sharerUp: 256 * KiB,
  peerUp: 128 * KiB,
  peerDown: 0,
  perPeer: {},
};

/** `fastForward` steps are played at once (for screenshots); then one step per `stepMs`. */
export function DemoProjector({
  fastForward = 0,
  stepMs = 1000,
  peers = 6,
}: {
  fastForward?: number;
  stepMs?: number;
  peers?: number;
}) {
  const t = useT();
  const [control, setControl] = useState(START);
  const controlRef = useRef(control);
  useEffect(() => {
    controlRef.current = control;
  }, [control]);

  useEffect(() => {
    const swarm = sampleSwarmId();
    useClassroom.getState().reset(swarm, 'sample');
    let time = 0;
    let round = 0;
    let step: () => ReturnType<ReturnType<typeof createSampleSwarm>> = () => [];
    let finishedAt = -1;
    const newRound = () => {
      const c = controlRef.current;
      round++;
      // Alternate P2P and client-server so the results table compares both.
      const mode = round === 1 ? c.mode : round % 2 === 0 ? 'cs' : 'p2p';
      const next = { ...c, round, mode } satisfies ClassroomControl;
      useClassroom.getState().receive({ type: 'classroom-control', swarm, control: next }, time);
      step = createSampleSwarm({
        peers,
        chunks: 24,
        chunkBytes: 256 * KiB,
        sharerUp: c.sharerUp,
        peerUp: c.peerUp,
        peerDown: c.peerDown,
        mode,
        round,
        seed: 11 + round,
      });
      finishedAt = -1;
    };
    const advance = () => {
      time += 1000;
      const msgs = step();
      for (const m of msgs) useClassroom.getState().receive(m, time);
      if (finishedAt < 0 && sampleDone(msgs)) finishedAt = time;
      if (finishedAt >= 0 && time - finishedAt >= 4000) newRound();
    };
    newRound();
    for (let i = 0; i < fastForward; i++) advance();
    const timer = setInterval(advance, stepMs);
    return () => clearInterval(timer);
  }, [fastForward, stepMs, peers]);

  const origin = location.origin;
  return (
    <ProjectorPage
      joinLink={`${origin}/#/sample`}
      projectorUrl={`${origin}/#/classroom/demo`}
      canControl
      onSend={(c) => setControl(c)}
      controlStatus={null}
      back={{ href: '#/', label: t('cls.back.home') }}
    />
  );
}
