// Punctuation as each language expects: Chinese text takes full-width marks (，。：；？！（）)
// next to Chinese characters, English text never takes them. Checked over every message by
// the i18n tests.

const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const HALF_NEAR_CJK = new RegExp(`[${CJK}][,;:?!(]|[,;:?!)][${CJK}]|[${CJK}] [,;:?!]`, 'u');
const FULL_WIDTH = /[，。：；？！（）、【】《》]/u;

/** What is wrong with the punctuation of `text` in `lang`, or null when it is right. */
export function punctuationFault(text: string, lang: 'zh-CN' | 'en'): string | null {
  if (lang === 'zh-CN') {
    const m = HALF_NEAR_CJK.exec(text);
    if (m) return `half-width "${m[0]}" beside Chinese`;
  } else {
    const m = FULL_WIDTH.exec(text);
    if (m) return `full-width "${m[0]}" in English`;
  }
  if (text.includes('...')) return 'three dots instead of "…"';
  return null;
}
