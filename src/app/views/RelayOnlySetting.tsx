import { useT } from '../i18n';
import { runtime } from '../runtime-instance';
import { useAppStore } from '../state/store';

/** The "relay only" checkbox (src/app/net/relay-only.ts). */
export function RelayOnlySetting() {
  const t = useT();
  const on = useAppStore((s) => s.relayOnly);
  return (
    <label className="setting muted small">
      <input
        type="checkbox"
        data-testid="relay-only"
        checked={on}
        onChange={(e) => runtime().setRelayOnly(e.target.checked)}
      />{' '}
      {t('settings.relayOnly')}
      <span className="setting-hint"> · {t('settings.relayOnlyHint')}</span>
    </label>
  );
}
