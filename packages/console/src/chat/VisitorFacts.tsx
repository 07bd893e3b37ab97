/**
 * Where a web-chat customer is: source (PC or mobile), the page (linked only when safe), browser,
 * language, the site's verified user id and the pre-chat form's answers. Everything here was
 * reported by the customer's browser and is shown as text.
 */
import type { VisitorInfo } from '@elitewebchat/protocol/browser';
import { useTranslation } from 'react-i18next';
import { formatLanguage } from '../ui/format';
import { PageLink } from '../ui/PageLink';
import { sourceKey } from '../ui/SourceAvatar';

export function VisitorFacts({ visitor }: { visitor: VisitorInfo }) {
  const { t, i18n } = useTranslation();
  const fields = Object.entries(visitor.fields);
  return (
    <dl className="session-facts visitor-facts" aria-label={t('visitor.title')} data-testid="visitor-info" data-source={visitor.source}>
      <div>
        <dt>{t('visitor.source')}</dt>
        <dd data-testid="visitor-source">{t(`source.${sourceKey(visitor.source)}`)}</dd>
      </div>
      {(visitor.pageUrl !== null || visitor.pageTitle !== null) && (
        <div>
          <dt>{t('visitor.page')}</dt>
          <dd className="visitor-page" data-testid="visitor-page">
            <PageLink url={visitor.pageUrl} title={visitor.pageTitle} hint={t('visitor.pageHint')} />
          </dd>
        </div>
      )}
      {visitor.browser !== null && (
        <div>
          <dt>{t('visitor.browser')}</dt>
          <dd data-testid="visitor-browser">{visitor.browser}</dd>
        </div>
      )}
      {visitor.language !== null && (
        <div>
          <dt>{t('visitor.language')}</dt>
          <dd data-testid="visitor-language" data-language={visitor.language}>
            {formatLanguage(visitor.language, i18n.language)}
          </dd>
        </div>
      )}
      {visitor.identifiedUserId !== null && (
        <div>
          <dt>{t('visitor.identified')}</dt>
          <dd data-testid="visitor-user-id">{visitor.identifiedUserId}</dd>
        </div>
      )}
      {fields.map(([name, value]) => (
        <div key={name}>
          <dt>{labelOf(visitor, name, i18n.language)}</dt>
          <dd data-testid="visitor-field" data-field={name}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The form's own name for a field, in the UI language; its key when the form gave none. */
function labelOf(visitor: VisitorInfo, name: string, language: string): string {
  const label = visitor.fieldLabels?.[name];
  if (!label) return name;
  return language.startsWith('zh') ? label['zh-CN'] : label.en;
}
