import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'

/** Formats ISO timestamps for the current interface language. */
export function useFormatDateTime(): (iso: string) => string {
  const { i18n } = useTranslation()
  const language = i18n.resolvedLanguage ?? i18n.language
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' })
    return (iso: string) => format.format(new Date(iso))
  }, [language])
}
