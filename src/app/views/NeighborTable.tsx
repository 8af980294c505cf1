import { useId } from 'react';
import type { ShareStatus } from '../../worker/protocol';
import { formatBytes, shortPeer } from '../format';
import { useT } from '../i18n';
import { linkKey } from '../net/swarm-connector';
import { useAppStore } from '../state/store';
import { shownNeighbors } from './transfer-figures';

/** Every neighbor of this share: bytes from and to it, how they flow (LAN, NAT, relay), and whether it was banned. */
export function NeighborTable({ status }: { status: ShareStatus | undefined }) {
  const t = useT();
  const routes = useAppStore((s) => s.routes);
  const rows = shownNeighbors(status);
  const titleId = useId();
  if (rows.length === 0) return null;
  return (
    <div className="card">
      <h3 id={titleId}>{t('peers.title')}</h3>
      <p className="muted small">{t('peers.hint')}</p>
      <div className="table-wrap">
        <table className="peers" data-testid="peer-table" aria-labelledby={titleId}>
          <thead>
            <tr>
              <th>{t('peers.peer')}</th>
              <th className="num">{t('peers.from')}</th>
              <th className="num">{t('peers.to')}</th>
              <th>{t('peers.state')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((n) => {
              const route = status && routes.get(linkKey(status.swarmId, n.peerId));
              return (
                <tr
                  key={n.peerId}
                  data-testid="peer-row"
                  data-peer={n.peerId}
                  data-origin={n.isOrigin ? 'true' : 'false'}
                  data-state={n.state}
                  data-downloaded={n.downloaded}
                  data-uploaded={n.uploaded}
                  data-route={route?.route ?? ''}
                  data-local-candidate={route?.local ?? ''}
                  data-remote-candidate={route?.remote ?? ''}
                  className={n.state}
                >
                  <td>
                    <code>{shortPeer(n.peerId)}</code>
                    {n.isOrigin && <span className="badge">{t('peers.sharer')}</span>}
                    {/* Under the id, not a column of its own: the table stays phone-wide. */}
                    <small
                      data-testid="peer-route"
                      className={route ? `route route-${route.route}` : 'route'}
                      title={t('peers.route')}
                    >
                      {t(route ? `peers.route.${route.route}` : 'peers.route.unknown')}
                    </small>
                  </td>
                  <td className="num">{formatBytes(n.downloaded)}</td>
                  <td className="num">{formatBytes(n.uploaded)}</td>
                  <td className="state-cell">
                    <span className={`state state-${n.state}`}>{t(`peers.state.${n.state}`)}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
