import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <select
      className="lang-switch"
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      onChange={(e) => setLanguage(e.target.value as Language)}
      aria-label={t('common.language')}
      data-testid="language-switch"
    >
      {LANGUAGES.map((l) => (
        <option key={l.code} value={l.code}>
          {l.label}
        </option>
      ))}
    </select>
  );
}
