/** The default avatar of a customer by where they are (`from`): PC, MOBILE, WECHAT or APP. */
import { CLIENT_SOURCES, type ClientSource } from '@elitewebchat/protocol/browser';
import { useTranslation } from 'react-i18next';

const ICONS: Record<ClientSource, string> = {
  // A monitor.
  PC: 'M3 4h18v12H3z M8 20h8 M12 16v4',
  // A phone.
  MOBILE: 'M7 2h10v20H7z M11 18h2',
  // Two speech bubbles.
  WECHAT: 'M9 4C5 4 2 6.5 2 9.5c0 1.7 1 3.2 2.5 4.2L4 16l2.6-1.3c.8.2 1.6.3 2.4.3 M15 9c3.9 0 7 2.4 7 5.3 0 1.6-.9 3-2.3 4l.5 2-2.4-1.2c-.9.3-1.8.4-2.8.4-3.9 0-7-2.4-7-5.2S11.1 9 15 9z',
  // A grid of apps.
  APP: 'M4 4h6v6H4z M14 4h6v6h-6z M4 14h6v6H4z M14 14h6v6h-6z',
};

/** One of the protocol's CLIENT_SOURCES, or OTHER (shown as a question mark) for anything else. */
export function sourceKey(from: string): ClientSource | 'OTHER' {
  return CLIENT_SOURCES.find((s) => s === from) ?? 'OTHER';
}

export function SourceAvatar({ from, size = 32 }: { from: string; size?: number }) {
  const { t } = useTranslation();
  const key = sourceKey(from);
  const label = t(`source.${key}`);
  const path = key === 'OTHER' ? undefined : ICONS[key];
  return (
    <span className={`avatar avatar-${key.toLowerCase()}`} style={{ width: size, height: size }} title={label} role="img" aria-label={label} data-testid="source-avatar" data-source={key}>
      {path ? (
        <svg viewBox="0 0 24 24" width={size * 0.58} height={size * 0.58} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d={path} />
        </svg>
      ) : (
        '?'
      )}
    </span>
  );
}

export function SourceBadge({ from }: { from: string }) {
  const { t } = useTranslation();
  const key = sourceKey(from);
  return <span className={`source-badge source-${key.toLowerCase()}`}>{t(`source.${key}`)}</span>;
}
