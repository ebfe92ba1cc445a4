// Interface language: follows the OS until the user picks one (saved in the workspace).
import { addMessages, init, locale } from 'svelte-i18n';
import en from './en';
import zh from './zh-CN';
import type { Lang } from '../lib/format';

export const LANGS: Lang[] = ['zh-CN', 'en'];

/** The user's choice if supported, else Chinese for any zh* OS locale, else English. */
export function resolveLocale(os: string, chosen: string | null): Lang {
  if (chosen && (LANGS as string[]).includes(chosen)) return chosen as Lang;
  return os.toLowerCase().replace('_', '-').startsWith('zh') ? 'zh-CN' : 'en';
}

addMessages('en', en);
addMessages('zh-CN', zh);

export function setupI18n(lang: Lang): void {
  init({ fallbackLocale: 'en', initialLocale: lang });
}

export function switchLocale(lang: Lang): void {
  locale.set(lang);
  document.documentElement.lang = lang;
}
