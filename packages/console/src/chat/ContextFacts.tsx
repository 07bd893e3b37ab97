/**
 * What a TPI third party told about its customer in a later 1000: the brand (a second source),
 * their address and their browsing trail. All of it came from outside and is shown as text; a
 * page of the trail is a link only when it is an absolute http(s) URL, opened in a new window
 * that learns nothing of the console.
 */
import type { CustomerContextView } from '@elitewebchat/protocol/browser';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../ui/format';
import { pageHref } from '../ui/PageLink';

/** A trail's time in ms; some third parties send seconds (anything before 1973 as ms is read as seconds). */
const trackMs = (time: number) => (Math.abs(time) < 100_000_000_000 ? time * 1000 : time);

export function ContextFacts({ context }: { context: CustomerContextView }) {
  const { t, i18n } = useTranslation();
  const tracks = context.tracks ?? [];
  const tracksText = context.tracksText?.trim();
  if (!context.brand && !context.ip && tracks.length === 0 && !tracksText) return null;
  return (
    <div className="context-facts" aria-label={t('context.title')} data-testid="customer-context">
      <dl className="session-facts">
        {context.brand && (
          <div>
            <dt>{t('context.brand')}</dt>
            <dd data-testid="context-brand">{context.brand}</dd>
          </div>
        )}
        {context.ip && (
          <div>
            <dt>{t('context.ip')}</dt>
            <dd className="mono" data-testid="context-ip">
              {context.ip}
            </dd>
          </div>
        )}
      </dl>
      {(tracks.length > 0 || tracksText) && (
        <details className="context-tracks" open data-testid="context-tracks">
          <summary>
            {t('context.tracks')}
            {tracks.length > 0 && ` (${tracks.length})`}
          </summary>
          {tracks.length > 0 && (
            <ol className="track-list">
              {tracks.map((track, i) => {
                const href = pageHref(track.url);
                const text = track.title.trim() || track.url;
                return (
                  <li key={i} data-testid="context-track">
                    {track.time !== undefined && (
                      <time className="track-time" dateTime={new Date(trackMs(track.time)).toISOString()}>
                        {formatDateTime(trackMs(track.time), i18n.language)}
                      </time>
                    )}
                    {href === null ? (
                      <span className="page-text" title={track.url} data-testid="context-track-text">
                        {text}
                      </span>
                    ) : (
                      <a
                        href={href}
                        target="_blank"
                        rel="noopener noreferrer"
                        referrerPolicy="no-referrer"
                        title={`${t('context.trackHint')}\n${href}`}
                        data-testid="context-track-link"
                      >
                        {text}
                      </a>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
          {tracksText && (
            <p className="tracks-text" data-testid="context-tracks-text">
              {tracksText}
            </p>
          )}
        </details>
      )}
    </div>
  );
}

/** A TPI rating's further answers (5001 ratingExtends), as "key: value" text. */
export function RatingExtends({ values }: { values: Record<string, string | number | boolean> }) {
  const { t } = useTranslation();
  const entries = Object.entries(values);
  if (entries.length === 0) return null;
  return (
    <dl className="rating-extends" aria-label={t('session.ratingExtends')} data-testid="rating-extends">
      {entries.map(([key, value]) => (
        <div key={key} data-testid="rating-extend" data-key={key}>
          <dt>{key}</dt>
          <dd>{typeof value === 'boolean' ? t(value ? 'common.yes' : 'common.no') : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
