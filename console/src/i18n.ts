import { createContext, useContext } from 'react';
import { makeI18n, type I18n } from './i18n-tables';

/** The console's language in React: the tables are in i18n-tables.ts (no React there, so unit tests read them). */
export type { I18n, Key, Locale, Said } from './i18n-tables';
export { makeI18n } from './i18n-tables';

export const I18nContext = createContext<I18n>(makeI18n('sv', () => undefined));
export const useI18n = (): I18n => useContext(I18nContext);
