import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'

/** Formats a duration in the interface language: "85 ms", "4.2 sec", "3 min 5 sec". */
export function useFormatDuration(): (ms: number) => string {
  const { i18n } = useTranslation()
  const language = i18n.resolvedLanguage ?? i18n.language
  return useMemo(() => {
    const unit = (unit: string, digits = 0) =>
      new Intl.NumberFormat(language, {
        style: 'unit',
        unit,
        unitDisplay: 'short',
        maximumFractionDigits: digits,
      })
    const ms = unit('millisecond')
    const seconds = unit('second', 1)
    const wholeSeconds = unit('second')
    const minutes = unit('minute')
    return (value: number) => {
      if (value < 1000) return ms.format(Math.round(value))
      if (value < 60_000) return seconds.format(value / 1000)
      const total = Math.round(value / 1000)
      return `${minutes.format(Math.floor(total / 60))} ${wholeSeconds.format(total % 60)}`
    }
  }, [language])
}
