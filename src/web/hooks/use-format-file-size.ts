import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'

/** Formats a size in bytes for the current interface language (`820 B`, `12 kB`, `3.4 MB`). */
export function useFormatFileSize(): (bytes: number) => string {
  const { i18n } = useTranslation()
  const language = i18n.resolvedLanguage ?? i18n.language
  return useMemo(() => {
    const unit = (name: string) =>
      new Intl.NumberFormat(language, { style: 'unit', unit: name, maximumFractionDigits: 1 })
    const count = new Intl.NumberFormat(language)
    const kilobyte = unit('kilobyte')
    const megabyte = unit('megabyte')
    return (bytes: number) => {
      // "48 B": Intl's own byte unit reads "48 byte" in English.
      if (bytes < 1024) return `${count.format(bytes)} B`
      if (bytes < 1024 * 1024) return kilobyte.format(Math.round(bytes / 1024))
      return megabyte.format(bytes / 1024 / 1024)
    }
  }, [language])
}
