/**
 * 2004: where the customer is: the place as they named it (text), the coordinates, the map
 * picture they sent, and a link to the place on the map's own page (https only, a new window).
 */
import { httpUrl, type LocationView, type MessageView } from '@elitewebchat/protocol/browser';
import { useTranslation } from 'react-i18next';
import { AuthThumb } from './AuthThumb';

const coordinate = (n: number) => (Number.isFinite(n) ? n.toFixed(6) : String(n));

export function LocationMessage({ location, thumb }: { location: LocationView; thumb: MessageView['thumb'] }) {
  const { t } = useTranslation();
  const href = httpUrl(location.mapUrl);
  const poi = location.poi.trim();
  return (
    <div className="media-card location-card" data-testid="media-location" data-map={location.map}>
      {thumb && <AuthThumb thumb={thumb} alt={poi || t('media.location')} testId="location-thumb" />}
      <span className="location-body">
        <span className="location-poi" data-testid="location-poi">
          {poi || t('media.location')}
        </span>
        <span className="location-coords" data-testid="location-coords" title={t('media.coordsHint', { map: t(`media.map.${location.map}`) })}>
          {coordinate(location.latitude)}, {coordinate(location.longitude)}
        </span>
        {href && (
          <a href={href} target="_blank" rel="noopener noreferrer" referrerPolicy="no-referrer" data-testid="location-map-link">
            {t('media.openMap', { map: t(`media.map.${location.map}`) })}
          </a>
        )}
      </span>
    </div>
  );
}
