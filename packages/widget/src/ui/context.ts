import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ChatController } from '../controller';
import type { Lang, Translate } from '../i18n';

export interface Ctx {
  c: ChatController;
  t: Translate;
  lang: Lang;
}

export const AppContext = createContext<Ctx | null>(null);

export function useApp(): Ctx {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside AppContext');
  return ctx;
}
