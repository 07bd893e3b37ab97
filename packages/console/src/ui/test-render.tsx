/** For unit tests: a component rendered to HTML on the server, in one of the console's languages. */
import i18next from 'i18next';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';

export function renderIn(lng: 'en' | 'zh-CN', node: ReactNode): string {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, interpolation: { escapeValue: false }, initAsync: false });
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}
