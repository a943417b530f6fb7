import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'

const TICK_MS = 30_000
const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

/**
 * Formats ISO timestamps as "5 minutes ago" in the interface language. Re-renders every 30 s, so
 * a page left open does not keep saying "just now".
 */
export function useFormatRelativeTime(): (iso: string) => string {
  const { i18n } = useTranslation()
  const language = i18n.resolvedLanguage ?? i18n.language
  const [now, setNow] = useState(() => Date.now())

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), TICK_MS)
    return () => window.clearInterval(timer)
  }, [])

  return useMemo(() => {
    const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' })
    return (iso: string) => {
      // A clock a little ahead of the server's should not say "in 3 seconds".
      const seconds = Math.min(0, Math.round((new Date(iso).getTime() - now) / 1000))
      for (const [unit, size] of UNITS) {
        if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit)
      }
      return format.format(0, 'second')
    }
  }, [language, now])
}
