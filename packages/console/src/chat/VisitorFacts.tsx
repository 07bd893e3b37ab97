/**
 * Where a web-chat customer is: source (PC or mobile), the page (linked only when safe), browser,
 * language, the site's verified user id and the pre-chat form's answers. Everything here was
 * reported by the customer's browser and is shown as text.
 */
import type { VisitorInfo } from '@elitewebchat/protocol/browser';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { formatLanguage } from '../ui/format';
import { PageLink } from '../ui/PageLink';
import { sourceKey } from '../ui/SourceAvatar';

export function VisitorFacts({ visitor }: { visitor: VisitorInfo }) {
  const { t, i18n } = useTranslation();
  const fields = Object.entries(visitor.fields);
  return (
    <dl className="session-facts visitor-facts" aria-label={t('visitor.title')} data-testid="visitor-info" data-source={visitor.source}>
      <dt>{t('visitor.source')}</dt>
      <dd data-testid="visitor-source">{t(`source.${sourceKey(visitor.source)}`)}</dd>
      {(visitor.pageUrl !== null || visitor.pageTitle !== null) && (
        <>
          <dt>{t('visitor.page')}</dt>
          <dd className="visitor-page" data-testid="visitor-page">
            <PageLink url={visitor.pageUrl} title={visitor.pageTitle} hint={t('visitor.pageHint')} />
          </dd>
        </>
      )}
      {visitor.browser !== null && (
        <>
          <dt>{t('visitor.browser')}</dt>
          <dd data-testid="visitor-browser">{visitor.browser}</dd>
        </>
      )}
      {visitor.language !== null && (
        <>
          <dt>{t('visitor.language')}</dt>
          <dd data-testid="visitor-language" data-language={visitor.language}>
            {formatLanguage(visitor.language, i18n.language)}
          </dd>
        </>
      )}
      {visitor.identifiedUserId !== null && (
        <>
          <dt>{t('visitor.identified')}</dt>
          <dd data-testid="visitor-user-id">{visitor.identifiedUserId}</dd>
        </>
      )}
      {fields.map(([name, value]) => (
        <Fragment key={name}>
          <dt>{name}</dt>
          <dd data-testid="visitor-field" data-field={name}>
            {value}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}
