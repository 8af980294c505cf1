import { useT } from '../i18n';
import { useRelayOnly } from '../net/relay-only';

/** The "relay only" checkbox (src/app/net/relay-only.ts). */
export function RelayOnlySetting() {
  const t = useT();
  const on = useRelayOnly((s) => s.on);
  const set = useRelayOnly((s) => s.set);
  return (
    <label className="setting muted small">
      <input type="checkbox" data-testid="relay-only" checked={on} onChange={(e) => set(e.target.checked)} />{' '}
      {t('settings.relayOnly')}
      <span className="setting-hint"> · {t('settings.relayOnlyHint')}</span>
    </label>
  );
}
