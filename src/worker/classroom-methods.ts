/**
 * The worker's classroom methods: stats of a share from its engine, the teacher's caps and mode
 * applied to the engine, and a new round (this share's chunks dropped, the download started again
 * from the same metadata). main.ts spreads these into its method table.
 */
import type { SwarmEngine } from '../engine/index';
import type { PeerStats } from '../protocol/classroom-layout';
import { statsFromSnapshot, type StatsContext } from './classroom-stats';
import type { ClassroomSettings, ShareSummary } from './protocol';
import type { ShareSession } from './session';
import type { ShareRecord, ShareRecords } from './share-records';
import { CodedError } from './serve';

export interface ClassroomWorkerDeps {
  sessions: Map<string, ShareSession>;
  records: ShareRecords;
  startSession(record: ShareRecord): Promise<ShareSession>;
  engineOf(session: ShareSession): SwarmEngine;
}

/** 0 (the classroom's "no cap") is the engine's Infinity. */
const cap = (bytesPerSec: number) => (bytesPerSec > 0 ? bytesPerSec : Infinity);

/** The teacher's caps and mode on an engine (each finite cap starts from an empty token bucket). */
function applySettings(
  engine: SwarmEngine,
  { mode, up, down, freeRide, defectAfterMs, newRound }: ClassroomSettings,
): void {
  engine.setRateLimits({ upBytesPerSec: cap(up), downBytesPerSec: cap(down) });
  engine.setMode(mode);
  engine.setFreeRide(freeRide === true);
  engine.setDefectAfterMs(defectAfterMs);
  // The sharer keeps its engine across rounds: a student made a free rider this round passed
  // chunks on in the last one, and would stay a passer for good.
  if (newRound) engine.forgetJudgements();
}

export function classroomMethods(d: ClassroomWorkerDeps) {
  const session = (swarmId: string) => {
    const s = d.sessions.get(swarmId);
    if (!s) throw new CodedError('not-found', `no running share ${swarmId}`);
    return s;
  };
  return {
    classroomStats({
      swarmId,
      ctx,
    }: {
      swarmId: string;
      ctx: StatsContext;
    }): (PeerStats & { complete: boolean; completedAt?: number }) | null {
      const s = d.sessions.get(swarmId);
      if (!s) return null;
      const snap = d.engineOf(s).snapshot();
      const stats = statsFromSnapshot(snap, ctx);
      const completedAt = s.completedAt;
      return stats && { ...stats, complete: snap.complete, ...(completedAt !== undefined && { completedAt }) };
    },
    classroomApply({ swarmId, ...settings }: { swarmId: string } & ClassroomSettings): { ok: true } {
      applySettings(d.engineOf(session(swarmId)), settings);
      return { ok: true };
    },
    async classroomRestart({
      swarmId,
      settings,
    }: {
      swarmId: string;
      settings?: ClassroomSettings;
    }): Promise<ShareSummary> {
      const old = session(swarmId);
      if (old.share.role !== 'download')
        throw new CodedError('internal', 'only a downloader drops its chunks for a new round');
      const record = await d.records.get(swarmId);
      if (!record?.encodedMetadata) throw new CodedError('not-found', 'no metadata stored for this share');
      d.sessions.delete(swarmId);
      old.stop(true); // the page gives the new engine fresh channels on the same connections
      await old.store.clear();
      const fresh: ShareRecord = {
        ...record,
        summary: { ...record.summary, haveChunks: 0, complete: false, sha256: undefined },
      };
      await d.records.put(fresh);
      const started = await d.startSession(fresh);
      // Before any neighbor's channel is admitted to it: the round's caps hold from its first byte.
      if (settings) applySettings(d.engineOf(started), settings);
      return started.share;
    },
  };
}
