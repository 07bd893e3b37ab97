/** Says when the live feed is down (and that it caught up when it is back). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from './services';
import { useStore } from './store';
import { formatDuration } from '../ui/format';
import { useNow } from '../ui/useNow';

const SHOW_RECOVERED_MS = 4_000;

export function ReconnectBanner() {
  const { t } = useTranslation();
  const { realtime } = useServices();
  const state = useStore(realtime.state, (s) => s);
  const [recoveredVisible, setRecoveredVisible] = useState(false);
  const now = useNow(1_000);

  useEffect(() => {
    if (state.recoveredAt === null) return;
    setRecoveredVisible(true);
    const id = window.setTimeout(() => setRecoveredVisible(false), SHOW_RECOVERED_MS);
    return () => window.clearTimeout(id);
  }, [state.recoveredAt]);

  if (!state.connected && (state.everConnected || state.lastError !== null)) {
    return (
      <div className="banner banner-warn" role="status" aria-live="polite" data-testid="reconnect-banner" data-state="down">
        <span className="spinner" aria-hidden="true" />
        {state.everConnected ? t('connection.lost') : t('connection.cannotConnect')}
        {state.downSince !== null && <span className="muted"> · {formatDuration(now - state.downSince, t)}</span>}
      </div>
    );
  }
  if (state.connected && recoveredVisible) {
    return (
      <div className="banner banner-ok" role="status" aria-live="polite" data-testid="reconnect-banner" data-state="recovered">
        {t('connection.recovered')}
      </div>
    );
  }
  return null;
}
