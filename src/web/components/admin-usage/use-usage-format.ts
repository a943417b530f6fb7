import { useTranslation } from 'react-i18next'

/** Numbers and US dollar amounts in the reader's language. */
export function useUsageFormat() {
  const { t, i18n } = useTranslation()
  const locale = i18n.resolvedLanguage ?? i18n.language
  const count = new Intl.NumberFormat(locale)
  const dollars = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 4,
  })
  return {
    count: (value: number) => count.format(value),
    /** Null: the provider reports no cost (only OpenRouter does). */
    cost: (value: number | null) =>
      value === null ? t('adminUsage.noCost') : dollars.format(value),
  }
}
