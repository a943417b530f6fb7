import { createInstance, type i18n as I18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import de from './de.json'
import en from './en.json'

export const SUPPORTED_LANGUAGES = ['en', 'de'] as const
export type Language = (typeof SUPPORTED_LANGUAGES)[number]

const FALLBACK_LANGUAGE: Language = 'en'
const STORAGE_KEY = 'switchboard.language'

export function isLanguage(value: unknown): value is Language {
  return SUPPORTED_LANGUAGES.some((language) => language === value)
}

function readStoredLanguage(): Language | undefined {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY)
    return isLanguage(stored) ? stored : undefined
  } catch {
    // Storage can throw (disabled cookies, some private modes); detection then falls through.
    return undefined
  }
}

/** The saved choice first, then the browser's preferred languages, then English. */
export function detectLanguage(): Language {
  const stored = readStoredLanguage()
  if (stored) return stored
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0]
    if (isLanguage(base)) return base
  }
  return FALLBACK_LANGUAGE
}

/** Switches the interface language and remembers the choice in this browser. */
export async function chooseLanguage(i18n: I18n, language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language)
  } catch {
    // Not persisting is acceptable: the language still changes for this visit.
  }
  await i18n.changeLanguage(language)
}

export function createI18n(): I18n {
  const i18n = createInstance()
  i18n.on('languageChanged', (language) => {
    document.documentElement.lang = language
  })
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, de: { translation: de } },
    lng: detectLanguage(),
    fallbackLng: FALLBACK_LANGUAGE,
    supportedLngs: SUPPORTED_LANGUAGES,
    // Resources are bundled, so initialise synchronously and render translated on the first paint.
    initAsync: false,
    // React escapes rendered text already.
    interpolation: { escapeValue: false },
  })
  return i18n
}
