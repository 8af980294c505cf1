/**
 * The teacher's controls: caps (u_s, every peer's u_i and d_i, single-peer overrides), P2P or
 * client-server, and a new round. Shown disabled with a note where the sharer's secret is absent;
 * the tracker refuses controls without it anyway.
 */
import { useState } from 'react';
import { MIN_CAP, type ClassroomControl, type ClassroomMode } from '../../../protocol/classroom';
import { useT, type StringKey } from '../../i18n';
import type { PeerView } from '../model/measured';

const KiB = 1024;

interface Props {
  control: ClassroomControl | null;
  peers: PeerView[];
  labels: ReadonlyMap<string, string>;
  canControl: boolean;
  onSend: (control: ClassroomControl) => void;
  status?: string | null;
}

/** The class-wide caps, in the form's order. */
const CAPS: { key: 'sharerUp' | 'peerUp' | 'peerDown'; label: StringKey; testid: string }[] = [
  { key: 'sharerUp', label: 'cls.ctl.us', testid: 'cap-sharer-up' },
  { key: 'peerUp', label: 'cls.ctl.ui', testid: 'cap-peer-up' },
  { key: 'peerDown', label: 'cls.ctl.di', testid: 'cap-peer-down' },
];

/** A single peer's overrides; an empty field shows the class-wide cap it falls back to. */
const PEER_CAPS: { key: 'up' | 'down'; short: string; fallback: 'peerUp' | 'peerDown' }[] = [
  { key: 'up', short: 'u', fallback: 'peerUp' },
  { key: 'down', short: 'd', fallback: 'peerDown' },
];

const MODES: { mode: ClassroomMode; label: StringKey }[] = [
  { mode: 'p2p', label: 'cls.mode.p2pLong' },
  { mode: 'cs', label: 'cls.mode.csLong' },
];

/**
 * What the form proposes before the teacher has set any caps: the bounds need known upload rates,
 * so a round is capped unless the teacher clears the caps. u_s = 1 MiB/s and u_i = 512 KiB/s keep
 * a class-sized file's round in seconds to tens of seconds on a school network, and make the P2P
 * bound visibly lower than the client-server one from N = 2 on.
 */
export const DEFAULT_CONTROL: ClassroomControl = {
  round: 0,
  mode: 'p2p',
  sharerUp: 1024 * KiB,
  peerUp: 512 * KiB,
  peerDown: 0,
  perPeer: {},
};

/** The form's starting values: the control in force, or the default caps while none was ever set. */
export function draftOf(control: ClassroomControl | null): ClassroomControl {
  if (!control) return DEFAULT_CONTROL;
  const neverCapped = control.round === 0 && !control.sharerUp && !control.peerUp && !control.peerDown;
  return neverCapped ? { ...DEFAULT_CONTROL, mode: control.mode, perPeer: control.perPeer } : control;
}

export function TeacherControls({ control, peers, labels, canControl, onSend, status }: Props) {
  const t = useT();
  const current = control ?? DEFAULT_CONTROL;
  const [draft, setDraft] = useState(() => draftOf(control));
  const [draftFor, setDraftFor] = useState(control);
  if (draftFor !== control) {
    // A new control from the tracker replaces the draft (during render, not in an effect).
    setDraftFor(control);
    setDraft(draftOf(control));
  }
  const kib = (v: number) => Math.round(v / KiB);
  const kibOrEmpty = (v: number | undefined) => (v === undefined ? '' : kib(v));
  const setKib = (key: 'sharerUp' | 'peerUp' | 'peerDown') => (e: React.ChangeEvent<HTMLInputElement>) =>
    setDraft({ ...draft, [key]: Math.max(0, Number(e.target.value) || 0) * KiB });
  const setEntry = (id: string, entry: ClassroomControl['perPeer'][string]) => {
    const perPeer = { ...draft.perPeer, [id]: entry };
    if (entry.up === undefined && entry.down === undefined && !entry.free) delete perPeer[id];
    setDraft({ ...draft, perPeer });
  };
  const setPeer = (id: string, key: 'up' | 'down', value: string) => {
    const entry = { ...draft.perPeer[id] };
    if (value === '') delete entry[key];
    else entry[key] = Math.max(0, Number(value) || 0) * KiB;
    setEntry(id, entry);
  };
  const setFree = (id: string, free: boolean) => {
    const { free: _was, ...rest } = draft.perPeer[id] ?? {};
    setEntry(id, free ? { ...rest, free: true } : rest);
  };
  const mode = (m: ClassroomMode) => setDraft({ ...draft, mode: m });
  const downloaders = peers.filter((p) => p.role === 'p');

  return (
    <section className="cls-card cls-controls" data-testid="teacher-controls" aria-disabled={!canControl}>
      <h2>{t('cls.ctl.title')}</h2>
      {!canControl && (
        <p className="cls-note" data-testid="controls-readonly">
          {t('cls.ctl.readonly')}
        </p>
      )}
      <fieldset disabled={!canControl}>
        {CAPS.map((cap) => (
          <label key={cap.key}>
            {t(cap.label)} <small>{t('cls.ctl.kibs')}</small>
            <input
              type="number"
              min={0}
              step={64}
              data-testid={cap.testid}
              value={kib(draft[cap.key])}
              onChange={setKib(cap.key)}
            />
          </label>
        ))}
        {downloaders.length > 0 && (
          <details>
            <summary>{t('cls.ctl.perPeer')}</summary>
            <table className="cls-perpeer">
              <tbody>
                {downloaders.map((p) => (
                  <tr key={p.id}>
                    <th>{labels.get(p.id)}</th>
                    {PEER_CAPS.map(({ key, short, fallback }) => (
                      <td key={key}>
                        <input
                          type="number"
                          min={0}
                          aria-label={`${short} ${labels.get(p.id)}`}
                          placeholder={String(kib(draft[fallback]))}
                          value={kibOrEmpty(draft.perPeer[p.id]?.[key])}
                          onChange={(e) => setPeer(p.id, key, e.target.value)}
                        />
                      </td>
                    ))}
                    <td>
                      <label title={t('cls.fr.explain')}>
                        <input
                          type="checkbox"
                          data-testid={`free-rider-${labels.get(p.id)}`}
                          checked={draft.perPeer[p.id]?.free === true}
                          onChange={(e) => setFree(p.id, e.target.checked)}
                        />{' '}
                        {t('cls.fr.label')}
                      </label>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
        <div className="cls-mode-switch" role="radiogroup" aria-label={t('cls.ctl.mode')}>
          {MODES.map(({ mode: m, label }) => (
            <label key={m} className={draft.mode === m ? 'on' : ''}>
              <input
                type="radio"
                name="cls-mode"
                data-testid={`mode-${m}`}
                checked={draft.mode === m}
                onChange={() => mode(m)}
              />{' '}
              {t(label)}
            </label>
          ))}
        </div>
        <div className="cls-buttons">
          <button
            type="button"
            data-testid="apply-caps"
            onClick={() => onSend(withMinimumCaps({ ...draft, round: current.round }))}
          >
            {t('cls.ctl.apply')}
          </button>
          <button
            type="button"
            className="primary"
            data-testid="new-round"
            title={t('cls.ctl.newRoundHint')}
            onClick={() => onSend(withMinimumCaps({ ...draft, round: current.round + 1 }))}
          >
            {t('cls.ctl.newRound')} ({t('cls.round', { round: current.round + 1 })})
          </button>
        </div>
        {status && (
          <p className="cls-note" data-testid="control-status">
            {status}
          </p>
        )}
      </fieldset>
    </section>
  );
}

/** 0 stays "no cap"; any other cap is at least MIN_CAP (the tracker and the peers refuse less). */
const atLeastMin = (bytes: number) => (bytes === 0 ? 0 : Math.max(MIN_CAP, bytes));

function withMinimumCaps(c: ClassroomControl): ClassroomControl {
  const perPeer: ClassroomControl['perPeer'] = {};
  for (const [id, e] of Object.entries(c.perPeer))
    perPeer[id] = {
      ...(e.up !== undefined ? { up: atLeastMin(e.up) } : {}),
      ...(e.down !== undefined ? { down: atLeastMin(e.down) } : {}),
      ...(e.free ? { free: true as const } : {}),
    };
  return {
    ...c,
    sharerUp: atLeastMin(c.sharerUp),
    peerUp: atLeastMin(c.peerUp),
    peerDown: atLeastMin(c.peerDown),
    perPeer,
  };
}
